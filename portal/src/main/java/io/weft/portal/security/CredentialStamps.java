package io.weft.portal.security;

import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.LoginCredentials;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A session remembers a stamp of the credentials it signed in with: a hash of the stored password
 * hash. A password change (in the browser, through the API, on any replica) changes the stored hash
 * and so the stamp; {@link SessionStampFilter} then ends every session still holding the old one.
 * That is "sign out everywhere" with no session registry to keep in sync between replicas.
 */
@Component
class CredentialStamps {

  static final String SESSION_ATTRIBUTE = "weft.credentialStamp";

  private final AccountService accounts;

  CredentialStamps(AccountService accounts) {
    this.accounts = accounts;
  }

  /** The stamp of the account's current credentials; empty if it is gone or disabled. */
  Optional<String> current(String username) {
    return accounts
        .findCredentials(username)
        .filter(LoginCredentials::enabled)
        .map(c -> stamp(c.passwordHash()));
  }

  void remember(HttpSession session, String username) {
    current(username).ifPresent(s -> session.setAttribute(SESSION_ATTRIBUTE, s));
  }

  private static String stamp(String passwordHash) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(passwordHash.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
