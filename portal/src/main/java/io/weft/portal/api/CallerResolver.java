package io.weft.portal.api;

import io.weft.fabric.Caller;
import io.weft.fabric.TenantId;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountService;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Turns the authenticated principal into the explicit {@link Caller} every fabric call takes. */
@Component
public class CallerResolver {

  private final AccountService accounts;

  public CallerResolver(AccountService accounts) {
    this.accounts = accounts;
  }

  public Caller resolve(Authentication authentication) {
    if (authentication == null || !authentication.isAuthenticated()) {
      throw new InsufficientAuthenticationException("not signed in");
    }
    Account account =
        accounts
            .findByUsername(authentication.getName())
            .orElseThrow(() -> new InsufficientAuthenticationException("account no longer exists"));
    return caller(account);
  }

  public static Caller caller(Account account) {
    return new Caller(
        account.id(), account.username(), account.role(), account.tenantId().map(TenantId::new));
  }
}
