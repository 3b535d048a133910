package io.weft.fabric.contract;

/** {@link HostTableContract} on the embedded H2 database, as `./weft run` uses it. */
class HostTableContractOnH2Test extends HostTableContract {}
