/**
 * Operator administration: tenants (quotas, suspend, resume), logical networks, hosts (state, PA,
 * table generations, drain), VSID usage, every VM with its placement and live migration.
 */
package io.weft.portal.ui.operator;
