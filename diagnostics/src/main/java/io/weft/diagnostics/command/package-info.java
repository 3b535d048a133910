/**
 * The fabric→agent command path: commands in PostgreSQL (or H2), handed out on the agents' command
 * long-poll and woken across replicas by NOTIFY, like the table long-poll.
 */
package io.weft.diagnostics.command;
