package io.weft.fabric;

/**
 * Which slice of a long list to read: skip {@code offset} items of the list's stable order, then
 * take at most {@code limit}. Both are checked here, so a bad value is a 400 naming the parameter.
 */
public record PageRequest(int offset, int limit) {

  /** The most items one page may hold. */
  public static final int MAX_LIMIT = 1000;

  /** The page size when the caller does not choose one. */
  public static final int DEFAULT_LIMIT = 100;

  public PageRequest {
    if (offset < 0) {
      throw new InvalidRequestException("offset must be 0 or more, not " + offset, "offset");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException(
          "limit must be between 1 and " + MAX_LIMIT + ", not " + limit, "limit");
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(0, limit);
  }
}
