package io.weft.fabric.contract;

/** {@link HostContract} on the embedded H2 database, as `./weft run` uses it. */
class HostContractOnH2Test extends HostContract {}
