/**
 * IPAM's implementation: the JDBC store of pools, ranges, free intervals and allocations, and the
 * services over it. Private to the module (Spring Modulith): other modules use the interfaces in
 * {@code io.weft.ipam}.
 */
package io.weft.ipam.internal;
