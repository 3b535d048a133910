/**
 * Drift audit: each host's applied table (generation and digest its agent reports) against the
 * fabric's intended one, with the entries a host behind the fabric has not applied, read from the
 * change log. Runs on demand and on an in-process schedule that one replica at a time runs (a
 * PostgreSQL advisory lock); the latest result per host is kept in the database.
 */
package io.weft.diagnostics.audit;
