package io.weft.fabric.contract;

/** {@link PlacementContract} on the embedded H2 database, as `./weft run` uses it. */
class PlacementContractOnH2Test extends PlacementContract {}
