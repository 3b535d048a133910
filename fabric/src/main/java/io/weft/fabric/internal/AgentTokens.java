package io.weft.fabric.internal;

import io.weft.fabric.HostId;
import io.weft.fabric.wakeup.ReplicaNotifications;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Authenticates agents by their bearer host token: every agent request does, so a token this
 * replica has seen valid is answered from memory ({@link AgentTokenCache}) and only an unknown one
 * costs a database read. Revoking a token (rotation, host deletion) forgets it here after the
 * commit and, on PostgreSQL, on every other replica through a NOTIFY on {@link #CHANNEL} sent by
 * the same commit. While this replica cannot be sure to hear those notifications in time (its
 * listener is reconnecting, or has not proven itself alive lately: {@link
 * ReplicaNotifications#isUpToDate()}) every lookup reads the database, and after reconnecting it
 * forgets everything. So a revocation takes effect everywhere within the listener's check interval
 * + check timeout (7 s by default), even if a listening connection hangs without an error.
 */
@Component
class AgentTokens implements ReplicaNotifications.Subscriber {

  static final String CHANNEL = "weft_agent_tokens";

  /** What {@link SecretTokens#generate} makes: the prefix and 32 bytes in unpadded base64url. */
  private static final Pattern WELL_FORMED =
      Pattern.compile(Pattern.quote(JdbcHostService.AGENT_TOKEN_PREFIX) + "[A-Za-z0-9_-]{43}");

  private static final Logger LOG = LoggerFactory.getLogger(AgentTokens.class);

  private final JdbcClient jdbc;
  private final ReplicaNotifications replicas;
  private final AgentTokenCache cache;

  /** Whether the last lookup could answer from memory; logged when that changes. */
  private final AtomicBoolean trusted = new AtomicBoolean();

  @Autowired
  AgentTokens(
      JdbcClient jdbc,
      ReplicaNotifications replicas,
      @Value("${weft.agent-tokens.cache-size:50000}") int cacheSize,
      @Value("${weft.agent-tokens.cache-max-age:5m}") Duration maxAge) {
    this(
        jdbc,
        replicas,
        new AgentTokenCache(cacheSize, maxAge, !replicas.acrossReplicas(), System::nanoTime));
  }

  AgentTokens(JdbcClient jdbc, ReplicaNotifications replicas, AgentTokenCache cache) {
    this.jdbc = jdbc;
    this.replicas = replicas;
    this.cache = cache;
    replicas.subscribe(CHANNEL, this);
  }

  /** The host whose token this is. A malformed token is refused without reading anything. */
  Optional<HostId> authenticate(String token) {
    if (token == null || !WELL_FORMED.matcher(token).matches()) {
      return Optional.empty();
    }
    String digest = SecretTokens.digest(token);
    Optional<HostId> known = memoryTrusted() ? cache.host(digest) : Optional.empty();
    if (known.isPresent()) {
      return known;
    }
    long epoch = cache.epoch();
    // One auto-commit statement (no read-only transaction around it): a unique-key lookup.
    Optional<HostId> host =
        jdbc.sql("SELECT id FROM fabric_host WHERE token_hash = :hash")
            .param("hash", digest)
            .query(UUID.class)
            .optional()
            .map(HostId::new);
    host.ifPresent(h -> cache.remember(digest, h, epoch));
    return host;
  }

  /** Whether revocations are heard in time to answer from memory; logs when that changes. */
  private boolean memoryTrusted() {
    boolean upToDate = replicas.isUpToDate();
    if (trusted.get() != upToDate && trusted.compareAndSet(!upToDate, upToDate)) {
      if (upToDate) {
        LOG.info("agent tokens answered from memory: this replica hears token revocations");
      } else if (replicas.isRunning()) {
        LOG.warn(
            "token revocations may go unheard (the listener lost its connection or did not"
                + " answer its check in time): agent tokens are read from the database");
      }
    }
    return upToDate;
  }

  /**
   * Inside the transaction that changes or deletes the host's token: once it commits, the old token
   * is forgotten here at once and on every other replica when its notification arrives.
   */
  void revokeOnCommit(HostId host) {
    replicas.notifyOnCommit(CHANNEL, host.toString());
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      cache.forget(host);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            cache.forget(host);
          }
        });
  }

  @Override
  public void notified(String payload) {
    try {
      cache.forget(new HostId(UUID.fromString(payload.strip())));
    } catch (RuntimeException e) {
      cache.forgetAll(); // not a host id: forget too much rather than too little
    }
  }

  @Override
  public void mayHaveMissedNotifications() {
    cache.resume();
    LOG.debug("listening for token revocations; remembered agent tokens forgotten");
  }

  @Override
  public void stoppedListening() {
    if (replicas.acrossReplicas()) {
      cache.suspend(); // memoryTrusted() says so, on the next lookup
      LOG.debug("not listening for token revocations: remembered agent tokens forgotten");
    }
  }
}
