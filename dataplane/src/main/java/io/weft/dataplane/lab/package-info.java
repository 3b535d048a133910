/**
 * The lab: a cloud of network namespaces on one machine ({@link io.weft.dataplane.lab.Lab}) with
 * Weft agents on the Linux backend driving it ({@link io.weft.dataplane.lab.LabCloud}). Used by the
 * root tests and by {@code ./weft lab up}.
 */
package io.weft.dataplane.lab;
