package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import io.weft.fabric.AddressRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.Subnet;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A new subnet: name, CIDR, and optionally a static range (where STATIC vNICs without an explicit
 * address are numbered). It does not call services itself: {@code create} does, and {@code created}
 * hears of the result.
 */
class SubnetDialog extends Dialog {

  final TextField name = new TextField("Name");
  final TextField cidr = new TextField("CIDR");
  final TextField staticStart = new TextField("Static range from (optional)");
  final TextField staticEnd = new TextField("to");
  final Button save = Ui.primary("Add subnet", VaadinIcon.CHECK);

  SubnetDialog(String suggestedCidr, Function<NewSubnet, Subnet> create, Consumer<Subnet> created) {
    setHeaderTitle("Add a subnet");
    name.setId("subnet-name");
    cidr.setId("subnet-cidr");
    cidr.setValue(suggestedCidr);
    cidr.setHelperText("IPv4 or IPv6, e.g. 10.0.1.0/24. The gateway is its first address.");
    staticStart.setId("subnet-static-start");
    staticEnd.setId("subnet-static-end");
    FormLayout form = new FormLayout(name, cidr, staticStart, staticEnd);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 2));
    form.setWidth("32em");
    save.setId("subnet-save");
    save.addClickShortcut(Key.ENTER);
    save.addClickListener(e ->
        Problems.attempt(() -> create.apply(request()), fieldMap())
            .ifPresent(s -> {
              close();
              created.accept(s);
            }));
    add(form);
    getFooter().add(new Button("Cancel", e -> close()), save);
  }

  private NewSubnet request() {
    boolean hasStatic = !staticStart.getValue().isBlank() || !staticEnd.getValue().isBlank();
    return new NewSubnet(
        name.getValue().strip(),
        cidr.getValue().strip(),
        hasStatic
            ? new AddressRange(staticStart.getValue().strip(), staticEnd.getValue().strip())
            : null,
        List.of());
  }

  private Map<String, TextField> fieldMap() {
    return Map.of("name", name, "cidr", cidr, "staticRange", staticStart);
  }
}
