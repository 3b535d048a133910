package io.weft.portal.agent;

import io.weft.fabric.HostId;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request made by the agent of one host; carries no account and no tenant. */
final class AgentAuthentication extends AbstractAuthenticationToken {

  static final String ROLE = "AGENT";

  private final HostId host;

  AgentAuthentication(HostId host) {
    super(List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
    this.host = host;
    setAuthenticated(true);
  }

  HostId host() {
    return host;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return host;
  }
}
