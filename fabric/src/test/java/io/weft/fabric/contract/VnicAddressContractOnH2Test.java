package io.weft.fabric.contract;

/** {@link VnicAddressContract} on the embedded H2 database, as `./weft run` uses it. */
class VnicAddressContractOnH2Test extends VnicAddressContract {}
