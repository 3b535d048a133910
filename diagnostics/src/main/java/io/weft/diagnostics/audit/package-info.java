/**
 * Drift audit: each host's applied table (generation and digest its agent reports) against the
 * fabric's intended one, with the entries a host behind the fabric has not applied, read from the
 * change log. Runs on demand and on a schedule: the Quartz job {@code table-drift-audit} beside the
 * IPAM reconciliation (its scheduling and guard live in the reconciliation package); the latest
 * result per host is kept in the database.
 */
package io.weft.diagnostics.audit;
