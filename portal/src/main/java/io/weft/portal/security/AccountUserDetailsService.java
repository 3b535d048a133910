package io.weft.portal.security;

import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.LoginCredentials;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Adapts the fabric's accounts to Spring Security's login path. */
@Service
class AccountUserDetailsService implements UserDetailsService {

  private final AccountService accounts;

  AccountUserDetailsService(AccountService accounts) {
    this.accounts = accounts;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    LoginCredentials credentials =
        accounts
            .findCredentials(username)
            .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    return User.withUsername(credentials.account().username())
        .password(credentials.passwordHash())
        .authorities(credentials.account().role().authority())
        .disabled(!credentials.enabled())
        .build();
  }
}
