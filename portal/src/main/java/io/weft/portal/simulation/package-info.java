/**
 * The simulated cloud of the default run: N hosts on the data plane's memory backend, registered
 * with the fabric exactly like real hosts (agent tokens, long-polled tables, status reports), with
 * a simulated VM coming alive on every port the fabric gives them.
 */
package io.weft.portal.simulation;
