package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.router.QueryParameters;
import io.weft.fabric.Caller;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import java.util.ArrayList;
import java.util.List;

/**
 * The source-vNIC picker of the diagnostics pages: the caller's own vNICs (an operator's: every
 * VM's), each shown with its VM and address. The picked id is kept apart from the value, because a
 * {@code ?vnic=} the caller may not see is still asked for, so that the service names it ("No such
 * vNIC") instead of the page quietly asking for nothing.
 */
class VnicPicker extends ComboBox<VnicPicker.Choice> {

  /** A vNIC to pick, shown with its VM and address (null while it has none). */
  record Choice(String vnicId, String vm, String address) {
    String label() {
      return vm + " · " + (address == null ? "no address yet" : address);
    }
  }

  private final List<Choice> choices;
  private String vnicId;

  VnicPicker(VmService vms, Caller caller) {
    super("From vNIC");
    choices = choices(vms, caller);
    setItems(choices);
    setItemLabelGenerator(Choice::label);
    addValueChangeListener(e -> vnicId = e.getValue() == null ? null : e.getValue().vnicId());
  }

  private static List<Choice> choices(VmService vms, Caller caller) {
    List<Vm> all =
        caller.isOperator()
            ? vms.pageAllVms(caller, PageRequest.first(PageRequest.MAX_LIMIT)).items()
            : vms.listVms(caller, caller.tenant().orElseThrow());
    List<Choice> out = new ArrayList<>();
    for (Vm vm : all) {
      vm.nics()
          .forEach(n ->
              out.add(
                  new Choice(
                      n.id().toString(),
                      vm.name(),
                      n.address() == null ? null : n.address().toString())));
    }
    return out;
  }

  /** Every vNIC offered, in the order shown. */
  List<Choice> choices() {
    return choices;
  }

  /** Picks the vNIC by id; one not offered is still what {@link #vnicId()} answers. */
  void pick(String id) {
    vnicId = id;
    choices.stream().filter(c -> c.vnicId().equals(id)).findFirst().ifPresent(this::setValue);
  }

  /**
   * Opens a page as its link says: {@code ?vnic=} picks the source, {@code ?to=} fills {@code
   * destination}; true when both are there, so the page answers at once.
   */
  boolean openWith(QueryParameters params, HasValue<?, String> destination) {
    params.getSingleParameter("vnic").ifPresent(this::pick);
    params.getSingleParameter("to").ifPresent(destination::setValue);
    return vnicId != null && !destination.isEmpty();
  }

  /** The id of the vNIC picked, or null. */
  String vnicId() {
    return vnicId;
  }
}
