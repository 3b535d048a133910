/** IPAM reconciliation in the portal: runs, findings and their resolution, the trend picture. */
package io.weft.portal.ui.reconciliation;
