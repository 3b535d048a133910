package io.weft.fabric.contract;

/** {@link TenantContract} on the embedded H2 database, as `./weft run` uses it. */
class TenantContractOnH2Test extends TenantContract {}
