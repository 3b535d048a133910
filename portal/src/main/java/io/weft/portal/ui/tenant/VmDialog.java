package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.weft.fabric.Addressing;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Vm;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** A new VM: a name and one or more vNICs, each in a subnet with DHCP or a static address. */
class VmDialog extends Dialog {

  final TextField name = new TextField("VM name");
  final List<VnicRow> rows = new ArrayList<>();
  final Button save = Ui.primary("Create VM", VaadinIcon.CHECK);
  private final VerticalLayout nics = new VerticalLayout();
  private final List<SubnetChoice> choices;

  /** One vNIC's fields. */
  static final class VnicRow extends FormLayout {
    final ComboBox<SubnetChoice> subnet = new ComboBox<>("Subnet");
    final Select<Addressing> addressing = new Select<>();
    final TextField address = new TextField("Address");

    VnicRow(int index, List<SubnetChoice> choices) {
      subnet.setItems(choices);
      subnet.setItemLabelGenerator(SubnetChoice::label);
      subnet.setId("vnic-subnet-" + index);
      if (!choices.isEmpty()) {
        subnet.setValue(choices.getFirst());
      }
      addressing.setLabel("Address by");
      addressing.setItems(Addressing.DHCP, Addressing.STATIC);
      addressing.setItemLabelGenerator(a -> a == Addressing.DHCP ? "DHCP" : "Static");
      addressing.setValue(Addressing.DHCP);
      addressing.setId("vnic-addressing-" + index);
      address.setId("vnic-address-" + index);
      address.setPlaceholder("from the static range");
      address.setEnabled(false);
      addressing.addValueChangeListener(e -> address.setEnabled(e.getValue() == Addressing.STATIC));
      add(subnet, addressing, address);
      setResponsiveSteps(new ResponsiveStep("0", 3));
      setColspan(subnet, 1);
    }

    NewVnic request() {
      return new NewVnic(
          subnet.getValue() == null ? null : subnet.getValue().subnet().id().value().toString(),
          addressing.getValue().name(),
          address.getValue().isBlank() || addressing.getValue() == Addressing.DHCP
              ? null
              : address.getValue().strip());
    }
  }

  VmDialog(List<SubnetChoice> choices, Function<NewVm, Vm> create, Consumer<Vm> created) {
    this.choices = choices;
    setHeaderTitle("New VM");
    setWidth("760px");
    name.setId("vm-name");
    name.setWidth("20em");
    nics.setPadding(false);
    addRow();
    Button another = new Button("Add another vNIC", VaadinIcon.PLUS.create(), e -> addRow());
    another.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    save.setId("vm-save");
    save.addClickListener(e ->
        Problems.attempt(() -> create.apply(request()), fields())
            .ifPresent(vm -> {
              close();
              created.accept(vm);
            }));
    add(name, nics, another);
    getFooter().add(new Button("Cancel", e -> close()), save);
  }

  private void addRow() {
    VnicRow row = new VnicRow(rows.size(), choices);
    rows.add(row);
    nics.add(row);
  }

  NewVm request() {
    return new NewVm(name.getValue().strip(), rows.stream().map(VnicRow::request).toList());
  }

  private Map<String, HasValidation> fields() {
    Map<String, HasValidation> map = new HashMap<>();
    map.put("name", name);
    for (int i = 0; i < rows.size(); i++) {
      map.put("nics[" + i + "].subnetId", rows.get(i).subnet);
      map.put("nics[" + i + "].addressing", rows.get(i).addressing);
      map.put("nics[" + i + "].address", rows.get(i).address);
    }
    return map;
  }
}
