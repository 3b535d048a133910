package io.weft.portal.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes allocating POSTs safe to retry: with an {@code Idempotency-Key} header the first answer is
 * stored (per caller and key, for 24 hours) and a retry gets that same answer with {@code
 * Idempotent-Replayed: true} instead of allocating twice. The same key with a different request is
 * refused (422); a retry while the first is still running gets 409. Server errors are not stored,
 * so they can be retried for real.
 */
class IdempotencyKeyFilter extends OncePerRequestFilter {

  static final String HEADER = "Idempotency-Key";
  private static final Duration KEEP = Duration.ofHours(24);
  private static final int MAX_BODY = 1 << 20;

  private final JdbcClient jdbc;
  private final Clock clock;
  // The application's own strategy, not the static holder: Vaadin swaps the static one per context.
  private final SecurityContextHolderStrategy contexts;

  IdempotencyKeyFilter(JdbcClient jdbc, Clock clock, SecurityContextHolderStrategy contexts) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.contexts = contexts;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || request.getHeader(HEADER) == null
        || !request.getRequestURI().startsWith("/api/v1/")
        || request.getRequestURI().startsWith("/api/v1/agent/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String key = request.getHeader(HEADER).strip();
    if (key.isEmpty() || key.length() > 200) {
      problem(response, 400, "Idempotency-Key must be 1 to 200 characters");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY);
    String fingerprint =
        sha256(
            request.getMethod()
                + " "
                + request.getRequestURI()
                + "\n"
                + new String(body, StandardCharsets.UTF_8));
    String scope = scope(fingerprint);
    Optional<Stored> stored = find(scope, key);
    if (stored.isPresent()) {
      replay(stored.get(), fingerprint, response);
      return;
    }
    if (!claim(scope, key, fingerprint)) {
      problem(response, 409, "a request with this Idempotency-Key is already in progress");
      return;
    }
    ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
    try {
      chain.doFilter(new BufferedRequest(request, body), recorded);
    } finally {
      remember(scope, key, recorded);
      recorded.copyBodyToResponse();
    }
  }

  /**
   * Signed-in callers get their own key space; anonymous sign-ups are scoped by the request itself.
   */
  private String scope(String fingerprint) {
    Authentication auth = contexts.getContext().getAuthentication();
    boolean signedIn =
        auth != null && auth.isAuthenticated() && !"anonymousUser".equals(auth.getName());
    return signedIn ? "user:" + auth.getName() : "anonymous:" + fingerprint;
  }

  private record Stored(String fingerprint, Integer status, String contentType, String body) {}

  private Optional<Stored> find(String scope, String key) {
    return jdbc.sql("SELECT * FROM portal_idempotency WHERE scope = :scope AND idem_key = :key")
        .param("scope", scope)
        .param("key", key)
        .query((rs, n) ->
            new Stored(
                rs.getString("fingerprint"),
                (Integer) rs.getObject("status"),
                rs.getString("content_type"),
                rs.getString("body")))
        .optional();
  }

  private void replay(Stored stored, String fingerprint, HttpServletResponse response)
      throws IOException {
    if (!stored.fingerprint().equals(fingerprint)) {
      problem(response, 422, "this Idempotency-Key was already used with a different request");
    } else if (stored.status() == null) {
      problem(response, 409, "a request with this Idempotency-Key is already in progress");
    } else {
      response.setStatus(stored.status());
      response.setHeader("Idempotent-Replayed", "true");
      if (stored.contentType() != null) {
        response.setContentType(stored.contentType());
      }
      response
          .getOutputStream()
          .write(
              stored.body() == null ? new byte[0] : stored.body().getBytes(StandardCharsets.UTF_8));
    }
  }

  private boolean claim(String scope, String key, String fingerprint) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql("DELETE FROM portal_idempotency WHERE created_at < :old")
        .param("old", Timestamp.from(clock.instant().minus(KEEP)))
        .update();
    try {
      jdbc.sql(
              "INSERT INTO portal_idempotency (scope, idem_key, fingerprint, created_at) VALUES (:scope, :key, :fp, :at)")
          .param("scope", scope)
          .param("key", key)
          .param("fp", fingerprint)
          .param("at", now)
          .update();
      return true;
    } catch (DataIntegrityViolationException raced) {
      return false;
    }
  }

  private void remember(String scope, String key, ContentCachingResponseWrapper recorded) {
    if (recorded.getStatus() >= 500) {
      jdbc.sql("DELETE FROM portal_idempotency WHERE scope = :scope AND idem_key = :key")
          .param("scope", scope)
          .param("key", key)
          .update();
      return;
    }
    jdbc.sql(
            "UPDATE portal_idempotency SET status = :status, content_type = :type, body = :body WHERE scope = :scope AND idem_key = :key")
        .param("status", recorded.getStatus())
        .param("type", recorded.getContentType())
        .param("body", new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8))
        .param("scope", scope)
        .param("key", key)
        .update();
  }

  private static void problem(HttpServletResponse response, int status, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response
        .getWriter()
        .write(
            "{\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\",\"field\":\"Idempotency-Key\"}");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request with its body already read, so the controller can read it again. */
  private static final class BufferedRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the buffered body is read synchronously");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
