package io.weft.fabric.contract;

/** {@link IdentityContract} on the embedded H2 database, as `./weft run` uses it. */
class IdentityContractOnH2Test extends IdentityContract {}
