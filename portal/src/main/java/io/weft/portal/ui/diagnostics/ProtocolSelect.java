package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.select.Select;

/** The protocol a diagnosis asks about: ICMP (the default), TCP or UDP. */
class ProtocolSelect extends Select<String> {

  ProtocolSelect() {
    setLabel("Protocol");
    setItems("ICMP", "TCP", "UDP");
    setValue("ICMP");
  }
}
