package io.weft.fabric;

import java.util.Locale;
import java.util.Optional;

/**
 * Which VMs a list shows: those whose name contains {@code nameContains}, in any case; null or
 * blank means every VM.
 */
public record VmSearch(String nameContains) {

  /** The longest text a search takes (VM names are at most this long too). */
  public static final int MAX_LENGTH = 100;

  public VmSearch {
    nameContains =
        nameContains == null || nameContains.isBlank()
            ? null
            : nameContains.strip().toLowerCase(Locale.ROOT);
    if (nameContains != null && nameContains.length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          "name: search for at most " + MAX_LENGTH + " characters", "name");
    }
  }

  public static VmSearch of(String nameContains) {
    return new VmSearch(nameContains);
  }

  /** The lower-case text to look for, if any. */
  public Optional<String> text() {
    return Optional.ofNullable(nameContains);
  }
}
