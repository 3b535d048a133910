package io.weft.fabric.identity.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Long enough and not a well-known password: length beats composition rules (NIST SP 800-63B), and
 * the list below holds the passwords guessed first.
 */
final class PasswordPolicy {

  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 128;

  private static final Set<String> COMMON =
      Set.of(
          "password",
          "password1",
          "password12",
          "password123",
          "password1234",
          "1234567890",
          "12345678910",
          "123456789a",
          "qwertyuiop",
          "qwerty1234",
          "qwerty12345",
          "iloveyou12",
          "letmein123",
          "welcome123",
          "admin12345",
          "administrator",
          "passw0rd12",
          "changeme123",
          "abcdefghij",
          "abc1234567",
          "1q2w3e4r5t",
          "1qaz2wsx3edc",
          "zaq12wsxcde",
          "football12",
          "baseball12",
          "sunshine12",
          "princess12",
          "superman12",
          "trustno1234",
          "0000000000",
          "1111111111",
          "aaaaaaaaaa",
          "weft123456",
          "weftweftweft");

  private PasswordPolicy() {}

  static Optional<String> problem(String password) {
    if (password == null || password.isEmpty()) {
      return Optional.of("password is required");
    }
    if (password.length() < MIN_LENGTH) {
      return Optional.of("password must be at least " + MIN_LENGTH + " characters long");
    }
    if (password.length() > MAX_LENGTH) {
      return Optional.of("password must be at most " + MAX_LENGTH + " characters long");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (COMMON.contains(lower) || lower.chars().distinct().count() < 4) {
      return Optional.of("password is too common or too simple; choose another");
    }
    return Optional.empty();
  }
}
