package io.weft.portal.security;

import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.WrappedSession;
import io.weft.fabric.Caller;
import io.weft.fabric.identity.AccountService;
import org.springframework.stereotype.Component;

/**
 * Changes the signed-in user's password from the browser: every other session of the account is
 * then signed out (their stamp no longer matches), while this one is re-stamped and stays.
 */
@Component
public class PasswordChanges {

  private final AccountService accounts;
  private final CredentialStamps stamps;
  private final SecurityEvents events;

  PasswordChanges(AccountService accounts, CredentialStamps stamps, SecurityEvents events) {
    this.accounts = accounts;
    this.stamps = stamps;
    this.events = events;
  }

  /**
   * @throws io.weft.fabric.InvalidRequestException naming {@code currentPassword} or {@code
   *     newPassword}
   */
  public void change(Caller caller, String currentPassword, String newPassword) {
    accounts.changePassword(caller.account(), currentPassword, newPassword);
    VaadinSession vaadin = VaadinSession.getCurrent();
    WrappedSession session = vaadin == null ? null : vaadin.getSession();
    if (session != null) {
      stamps
          .current(caller.username())
          .ifPresent(s -> session.setAttribute(CredentialStamps.SESSION_ATTRIBUTE, s));
    }
    events.passwordChanged(caller.username());
  }
}
