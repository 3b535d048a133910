/**
 * Bounded packet captures: validated and limited here, run by the host's agent through the command
 * path (kind CAPTURE), the pcap kept in the database for every replica, downloadable by the
 * requester's tenant and operators only.
 */
package io.weft.diagnostics.capture;
