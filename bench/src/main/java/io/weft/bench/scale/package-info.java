/**
 * {@code ./weft bench scale}: two replicas on the local PostgreSQL behind HAProxy, thousands of
 * simulated agents long-polling through the balancer from this JVM, changes made through the REST
 * API, commit→applied measured across replicas, and a replica killed in the middle.
 */
package io.weft.bench.scale;
