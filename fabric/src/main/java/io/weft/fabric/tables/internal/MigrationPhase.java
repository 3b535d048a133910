package io.weft.fabric.tables.internal;

/** Where a live migration is in make-before-break. */
enum MigrationPhase {
  /** The destination has the port; every other host still uses the source's PA. */
  PORT_ON_DEST,
  /** The destination applied its port; peers were told the new PA; the source keeps its port. */
  RECORDS_SWITCHED,
  /** Every live peer applied the new PA (or the wait timed out); the source dropped its port. */
  DONE,
  /** Another migration of the same VM started before this one finished. */
  SUPERSEDED
}
