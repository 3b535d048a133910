package io.weft.fabric;

import java.util.List;

/** An operator's request to register an external endpoint, with the machines behind it. */
public record NewExternalHost(
    String name,
    String logicalNetworkId,
    String providerAddress,
    List<NewExternalMachine> machines) {}
