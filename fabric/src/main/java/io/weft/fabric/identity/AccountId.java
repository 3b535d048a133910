package io.weft.fabric.identity;

import java.util.Objects;
import java.util.UUID;

/** Identifies an account. */
public record AccountId(UUID value) {
  public AccountId {
    Objects.requireNonNull(value, "account id");
  }

  public static AccountId random() {
    return new AccountId(UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
