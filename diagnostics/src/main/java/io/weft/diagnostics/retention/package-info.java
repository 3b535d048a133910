/**
 * Retention of diagnostics rows: what expired is deleted in bounded batches by one pass of {@link
 * io.weft.diagnostics.DiagnosticsRetention}, never a probe, check or capture still under way.
 */
package io.weft.diagnostics.retention;
