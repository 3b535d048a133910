package io.weft.fabric;

/** Limits (or usage) per tenant. */
public record Quotas(int vmNetworks, int subnets, int vms, int vnics, int publicIps) {

  public static final Quotas DEFAULT = new Quotas(10, 50, 100, 200, 5);

  public Quotas {
    check(vmNetworks, "vmNetworks");
    check(subnets, "subnets");
    check(vms, "vms");
    check(vnics, "vnics");
    check(publicIps, "publicIps");
  }

  private static void check(int value, String field) {
    if (value < 0 || value > 1_000_000) {
      throw new InvalidRequestException(field + " must be between 0 and 1000000", field);
    }
  }
}
