/**
 * IPAM reconciliation: scheduled, cluster-safe jobs (Quartz) that compare what IPAM allocated, what
 * the fabric configured and what agents observed on their ports, record findings with a stable
 * identity, and fix what is safe to fix.
 */
package io.weft.diagnostics.reconciliation;
