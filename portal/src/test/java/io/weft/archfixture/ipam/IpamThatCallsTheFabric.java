package io.weft.archfixture.ipam;

import io.weft.archfixture.fabric.FabricServiceThatCallsThePortal;
import io.weft.archfixture.fabric.internal.FabricSecret;

/** Closes a cycle with the fabric and reaches into the fabric's internals. */
public class IpamThatCallsTheFabric {
  public String peek() {
    return new FabricServiceThatCallsThePortal().describe() + FabricSecret.value();
  }
}
