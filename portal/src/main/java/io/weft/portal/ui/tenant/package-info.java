/**
 * Tenant self-service: the first-network wizard, VM networks with subnets and DHCP ranges, VMs with
 * vNICs (DHCP addresses appear live by polling), the SVG topology, users, the signed-in user's
 * account and API tokens, and the activity log. Tenants never see hosts or PAs here.
 */
package io.weft.portal.ui.tenant;
