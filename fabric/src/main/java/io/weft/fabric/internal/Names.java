package io.weft.fabric.internal;

import io.weft.fabric.InvalidRequestException;
import java.util.regex.Pattern;

/** The one rule for names of networks, subnets, VMs and hosts, so UI and API agree. */
final class Names {

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,99}");

  private Names() {}

  /** The stripped name, or a 400 that says what a name may be. */
  static String require(String value, String field) {
    String name = value == null ? "" : value.strip();
    if (name.isEmpty()) {
      throw new InvalidRequestException(field + " is required", field);
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          field
              + " must be 1 to 100 characters: letters, digits, spaces, '.', '_' or '-',"
              + " starting with a letter or digit",
          field);
    }
    return name;
  }
}
