package io.weft.ipam.internal;

import java.util.UUID;

/** Fixed ids of the cloud-wide pools, created by migration V100. */
final class WellKnownPools {

  static final UUID VSID_POOL = UUID.fromString("00000000-0000-4000-8000-0000000a0001");
  static final UUID VSID_RANGE = UUID.fromString("00000000-0000-4000-8000-0000000a0002");
  static final UUID MAC_POOL = UUID.fromString("00000000-0000-4000-8000-0000000a0003");
  static final UUID MAC_RANGE = UUID.fromString("00000000-0000-4000-8000-0000000a0004");

  private WellKnownPools() {}
}
