/**
 * Implementation of the switch: the compiled table with primitive-keyed indexes, per-port runtime
 * state, the local and DHCP responders and the encapsulation path. No other module uses it.
 */
package io.weft.dataplane.pipeline.internal;
