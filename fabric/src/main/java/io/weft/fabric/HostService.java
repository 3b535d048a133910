package io.weft.fabric;

import java.util.List;
import java.util.Optional;

/** Operators' side of the fabric: logical networks and hosts. */
public interface HostService {

  LogicalNetwork createLogicalNetwork(Caller caller, NewLogicalNetwork network);

  List<LogicalNetwork> listLogicalNetworks(Caller caller);

  LogicalNetwork getLogicalNetwork(Caller caller, LogicalNetworkId id);

  /** Refused (409) while hosts belong to it. */
  void deleteLogicalNetwork(Caller caller, LogicalNetworkId id);

  /** Registers a host; the returned agent token is shown this once and only its hash is kept. */
  RegisteredHost registerHost(Caller caller, NewHost host);

  List<Host> listHosts(Caller caller);

  Host getHost(Caller caller, HostId id);

  /** Sets a host's state; DRAINING moves its VMs to other ready hosts. */
  Host setHostState(Caller caller, HostId id, HostState state);

  /** Refused (409) while VMs run on it. Its agent token stops working as a rotated one does. */
  void deleteHost(Caller caller, HostId id);

  /**
   * Replaces a host's agent token (a lost or leaked token); the old one stops working at once: on
   * this replica when this returns, on every other replica when it hears of the commit (the NOTIFY
   * that also wakes its long-polls). The new token is shown this once.
   */
  RegisteredHost rotateAgentToken(Caller caller, HostId id);

  /**
   * Operators only: how much of the cloud-wide VSID space (4096..16,777,214) subnets hold. Asked of
   * the fabric, not of IPAM directly, so the operator check stays in the one place it is made.
   */
  Utilisation vsidUsage(Caller caller);

  /**
   * The host an agent token belongs to, if any. A token this replica has seen valid is answered
   * from memory (no database read) until it is rotated or its host deleted, on any replica.
   */
  Optional<HostId> authenticateAgent(String token);
}
