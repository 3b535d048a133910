/**
 * The agents' side of the portal: {@code /api/v1/agent/**}, authenticated only by a host's bearer
 * token in a filter chain of its own, serving the table long-poll, the status report and DHCP lease
 * requests exactly as {@code dataplane/TABLE-FORMAT.md} describes.
 */
package io.weft.portal.agent;
