package io.weft.dataplane.backend.linux;

/**
 * Where the TAP device of a vNIC port lives: its interface name and the network namespace it is in
 * (null: the agent's own). A hypervisor and the agent agree on this; by default the name is derived
 * from the port id ({@link #byPortId()}), so a hypervisor that names its taps the same way gets
 * them attached.
 */
@FunctionalInterface
public interface TapLocator {

  Location locate(String portId);

  /** An interface name (at most 15 bytes) and its network namespace name or path, or null. */
  record Location(String ifName, String netns) {
    public Location {
      if (ifName == null || ifName.isEmpty() || ifName.length() > 15) {
        throw new IllegalArgumentException("interface name must be 1..15 characters: " + ifName);
      }
    }
  }

  /**
   * {@code "wt"} followed by the first 13 letters and digits of the port id, in the agent's
   * namespace: port {@code 3f2a9c1b-0d4e-...} gets tap {@code wt3f2a9c1b0d4e}.
   */
  static TapLocator byPortId() {
    return portId -> new Location(tapName(portId), null);
  }

  static String tapName(String portId) {
    StringBuilder s = new StringBuilder("wt");
    for (int i = 0; i < portId.length() && s.length() < 15; i++) {
      char c = portId.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        s.append(c);
      }
    }
    return s.toString();
  }
}
