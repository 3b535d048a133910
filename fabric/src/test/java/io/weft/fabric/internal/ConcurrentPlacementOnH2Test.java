package io.weft.fabric.internal;

/** {@link ConcurrentPlacementContract} on the embedded H2 database, as `./weft run` uses it. */
class ConcurrentPlacementOnH2Test extends ConcurrentPlacementContract {}
