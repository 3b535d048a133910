package io.weft.archfixture.fabric;

import io.weft.archfixture.ipam.IpamThatCallsTheFabric;
import io.weft.archfixture.portal.PortalView;

/** Breaks "dependencies point one way" (fabric → portal) and, with ipam, "no cycles". */
public class FabricServiceThatCallsThePortal {
  public String describe() {
    return PortalView.title() + IpamThatCallsTheFabric.class.getSimpleName();
  }
}
