package io.weft.portal.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Map;
import java.util.function.Function;

/**
 * Asks for one name (create or rename). The dialog stays open with the service's message at the
 * field when the name is refused, and closes when {@code save} succeeds.
 */
public class NameDialog extends Dialog {

  public final TextField name = new TextField("Name");
  public final Button save;

  public NameDialog(
      String title, String initial, String saveText, Function<String, Object> action) {
    setHeaderTitle(title);
    name.setValue(initial == null ? "" : initial);
    name.setWidth("22em");
    name.setId("name-dialog-field");
    name.setAutofocus(true);
    save = Ui.primary(saveText, com.vaadin.flow.component.icon.VaadinIcon.CHECK);
    save.setId("name-dialog-save");
    save.addClickShortcut(Key.ENTER);
    save.addClickListener(e ->
        Problems.attempt(() -> action.apply(name.getValue().strip()), Map.of("name", name))
            .ifPresent(r -> close()));
    Button cancel = new Button("Cancel", e -> close());
    add(name);
    getFooter().add(cancel, save);
  }
}
