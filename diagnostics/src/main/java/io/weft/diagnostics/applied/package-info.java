/**
 * What hosts really forward with: the per-VM-network digests agents report, and their entries
 * fetched on request (REPORT_ENTRIES) where a digest differs from the intended one, so the trace
 * can run over applied tables.
 */
package io.weft.diagnostics.applied;
