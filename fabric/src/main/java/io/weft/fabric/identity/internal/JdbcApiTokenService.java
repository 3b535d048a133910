package io.weft.fabric.identity.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.ApiToken;
import io.weft.fabric.identity.ApiTokenService;
import io.weft.fabric.identity.IssuedApiToken;
import io.weft.fabric.internal.SecretTokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class JdbcApiTokenService implements ApiTokenService {

  /** How precisely a token's last use is kept. */
  static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  static final String PREFIX = "weft-token-";
  private static final int MAX_TOKENS = 20;

  private final JdbcClient jdbc;
  private final AccountRepository accounts;
  private final Clock clock;

  JdbcApiTokenService(JdbcClient jdbc, AccountRepository accounts, Clock clock) {
    this.jdbc = jdbc;
    this.accounts = accounts;
    this.clock = clock;
  }

  @Override
  @Transactional
  public IssuedApiToken issue(AccountId owner, String name) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > 100) {
      throw new InvalidRequestException("name is required (at most 100 characters)", "name");
    }
    if (list(owner).size() >= MAX_TOKENS) {
      throw new ConflictException(
          "at most " + MAX_TOKENS + " tokens per account; revoke one first", "name");
    }
    String secret = SecretTokens.generate(PREFIX);
    UUID id = UUID.randomUUID();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            "INSERT INTO fabric_api_token (id, account_id, name, token_hash, created_at)"
                + " VALUES (:id, :account, :name, :hash, :at)")
        .param("id", id)
        .param("account", owner.value())
        .param("name", clean)
        .param("hash", SecretTokens.digest(secret))
        .param("at", now)
        .update();
    return new IssuedApiToken(new ApiToken(id, clean, now.toInstant(), null), secret);
  }

  @Override
  @Transactional(readOnly = true)
  public List<ApiToken> list(AccountId owner) {
    return jdbc.sql(
            "SELECT * FROM fabric_api_token WHERE account_id = :account ORDER BY created_at")
        .param("account", owner.value())
        .query(JdbcApiTokenService::token)
        .list();
  }

  @Override
  @Transactional
  public void revoke(AccountId owner, UUID tokenId) {
    int deleted =
        jdbc.sql("DELETE FROM fabric_api_token WHERE id = :id AND account_id = :account")
            .param("id", tokenId)
            .param("account", owner.value())
            .update();
    if (deleted == 0) {
      throw new NotFoundException("no such token", "tokenId");
    }
  }

  @Override
  @Transactional
  public Optional<Account> authenticate(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String hash = SecretTokens.digest(secret);
    Optional<UUID> account =
        jdbc.sql("SELECT account_id FROM fabric_api_token WHERE token_hash = :hash")
            .param("hash", hash)
            .query(UUID.class)
            .optional();
    // "Last used" to the minute: the row is written once a minute at most. Written on every
    // request, a script's concurrent requests queued on this one row lock, each until the one
    // before it committed (100 concurrent API calls with one token: the most waited-for lock of
    // the scale bench's burst, docs/benchmarks.md). A row already written within the minute is
    // skipped without taking its lock (PostgreSQL checks the condition on the committed row).
    Instant now = clock.instant();
    account.ifPresent(a ->
        jdbc.sql(
                "UPDATE fabric_api_token SET last_used_at = :at WHERE token_hash = :hash"
                    + " AND (last_used_at IS NULL OR last_used_at < :fresh)")
            .param("at", Timestamp.from(now))
            .param("fresh", Timestamp.from(now.minus(LAST_USED_PRECISION)))
            .param("hash", hash)
            .update());
    return account
        .flatMap(accounts::findById)
        .filter(AccountEntity::enabled)
        .map(AccountEntity::toAccount);
  }

  private static ApiToken token(ResultSet rs, int row) throws SQLException {
    Timestamp used = rs.getTimestamp("last_used_at");
    return new ApiToken(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getTimestamp("created_at").toInstant(),
        used == null ? null : used.toInstant());
  }
}
