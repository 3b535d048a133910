package io.weft.dataplane.table;

/**
 * Where a customer address lives: (VSID, CA, MAC) → PA of the host that has the vNIC. A record is
 * local when its PA is the host's own PA; its port is then found by MAC in the host's ports. Within
 * one VM network a CA appears at most once (the key for delta removals).
 */
public record LookupRecord(int vsid, IpAddress ca, MacAddress mac, IpAddress pa) {

  public LookupRecord {
    if (ca == null || mac == null || pa == null) {
      throw new IllegalArgumentException("lookup record needs ca, mac and pa (vsid " + vsid + ")");
    }
  }
}
