package io.weft.fabric.internal;

/**
 * SQL {@code LIKE} patterns from user text: the text's own {@code %} and {@code _} match only
 * themselves (a search for "50%" must not match "500"). Use with {@code ESCAPE '\'}, the same on H2
 * and PostgreSQL.
 */
final class LikePattern {

  /** The escape clause that goes with these patterns. */
  static final String ESCAPE_CLAUSE = " ESCAPE '\\'";

  private LikePattern() {}

  /** Matches any value that contains {@code text}. */
  static String containing(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
