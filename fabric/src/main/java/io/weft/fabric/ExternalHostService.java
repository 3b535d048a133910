package io.weft.fabric;

import java.util.List;

/**
 * Operators' side of external endpoints: NVGRE or VXLAN peers that Weft does not run. Every call
 * needs an operator; a tenant caller is refused.
 */
public interface ExternalHostService {

  /** Registers the endpoint and the machines behind it (reserving their PA, CAs and MACs). */
  ExternalHost register(Caller caller, NewExternalHost request);

  List<ExternalHost> list(Caller caller);

  ExternalHost get(Caller caller, ExternalHostId id);

  /** Admits one more machine behind the endpoint. */
  ExternalMachine addMachine(Caller caller, ExternalHostId id, NewExternalMachine machine);

  /** Withdraws one machine; the hosts sharing its VM network drop its lookup record. */
  void removeMachine(Caller caller, ExternalHostId id, ExternalMachineId machine);

  /** Removes the endpoint with all its machines. */
  void delete(Caller caller, ExternalHostId id);
}
