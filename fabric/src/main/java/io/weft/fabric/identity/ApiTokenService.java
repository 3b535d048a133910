package io.weft.fabric.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Personal API tokens for scripts: a token acts as its account; only a hash is stored. */
public interface ApiTokenService {

  IssuedApiToken issue(AccountId owner, String name);

  List<ApiToken> list(AccountId owner);

  /** Revokes one of the owner's tokens; another account's token is "not found". */
  void revoke(AccountId owner, UUID tokenId);

  /** The account a presented secret belongs to, if any. */
  Optional<Account> authenticate(String secret);
}
