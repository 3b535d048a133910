/**
 * Waking long-polls on every replica. A waiter takes a {@link io.weft.fabric.wakeup.WakeUpSignals}
 * signal before it reads the database and waits on it; a writer wakes it after its commit, and on
 * PostgreSQL also sends a NOTIFY inside its transaction that {@link
 * io.weft.fabric.wakeup.ReplicaNotifications} (one LISTEN connection per replica, for every
 * channel) turns into the same wake-ups on every other replica. On H2 there is one process and no
 * NOTIFY. The fabric's table long-polls and diagnostics' agent commands both wait this way.
 */
@org.springframework.modulith.NamedInterface("wakeup")
package io.weft.fabric.wakeup;
