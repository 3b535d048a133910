/**
 * IP address management for Weft: address math (IPv4 and IPv6 prefixes, ranges, addresses, MACs,
 * VSIDs) and the pools that hand them out — next-free and explicit allocation, release and usage,
 * safe under concurrent fabric replicas on one database. Top-level types are the module's API;
 * everything under {@code internal} is private to it. No UI, no HTTP.
 */
package io.weft.ipam;
