/**
 * The one answer: the trace over intended tables, the trace over applied tables and a live probe
 * run together through their public interfaces, read as one sentence that names where and why it
 * breaks, and the path hop by hop for the picture. Nothing here traces or probes by itself.
 */
package io.weft.diagnostics.connectivity;
