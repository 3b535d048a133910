package io.weft.fabric.contract;

/** {@link NetworkContract} on the embedded H2 database, as `./weft run` uses it. */
class NetworkContractOnH2Test extends NetworkContract {}
