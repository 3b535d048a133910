/**
 * The fabric's implementation: SQL over the model tables, authorization, audit, placement. Hidden
 * behind the service interfaces of {@code io.weft.fabric}.
 */
package io.weft.fabric.internal;
