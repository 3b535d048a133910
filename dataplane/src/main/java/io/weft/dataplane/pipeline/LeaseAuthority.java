package io.weft.dataplane.pipeline;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.util.Optional;

/**
 * Decides which address a DHCP vNIC gets when the table does not already carry one. The fabric owns
 * addresses, so in production this reports upwards and answers from what the fabric assigned; a
 * simulation may allocate from the subnet's ranges itself. Called on the switch thread:
 * implementations must not block.
 */
public interface LeaseAuthority {

  /** The address to offer, or empty while none is known yet (the client simply retries). */
  Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet);

  /** A lease was granted, renewed, released or declined. */
  void leaseEvent(LeaseEvent event);

  /**
   * Where the switch records the addresses its ports show, for the agent's report; null records
   * nothing. The agent's lease book, shared by switch and agent, provides it.
   */
  default AddressObservations observations() {
    return null;
  }

  /** Offers only what the table assigns; records nothing. */
  LeaseAuthority TABLE_ONLY =
      new LeaseAuthority() {
        @Override
        public Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
          return Optional.empty();
        }

        @Override
        public void leaseEvent(LeaseEvent event) {}
      };
}
