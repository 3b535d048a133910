/**
 * What operators watch: Weft's own Prometheus metrics (silent and lagging hosts, refused tables,
 * VSID pool use, failed sign-ins), read by the alert rules in {@code docs/alerts/weft-rules.yaml}.
 */
package io.weft.portal.operations;
