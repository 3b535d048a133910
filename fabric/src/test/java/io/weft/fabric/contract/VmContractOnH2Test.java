package io.weft.fabric.contract;

/** {@link VmContract} on the embedded H2 database, as `./weft run` uses it. */
class VmContractOnH2Test extends VmContract {}
