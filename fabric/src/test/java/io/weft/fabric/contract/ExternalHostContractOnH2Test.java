package io.weft.fabric.contract;

/** {@link ExternalHostContract} on the embedded H2 database, as `./weft run` uses it. */
class ExternalHostContractOnH2Test extends ExternalHostContract {}
