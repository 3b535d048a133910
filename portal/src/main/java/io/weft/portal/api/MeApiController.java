package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.Caller;
import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.ApiToken;
import io.weft.fabric.identity.ApiTokenService;
import io.weft.fabric.identity.IssuedApiToken;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Me", description = "Who I am, my password and my personal API tokens")
class MeApiController {

  private final CallerResolver callers;
  private final ApiTokenService tokens;
  private final AccountService accounts;

  MeApiController(CallerResolver callers, ApiTokenService tokens, AccountService accounts) {
    this.callers = callers;
    this.tokens = tokens;
    this.accounts = accounts;
  }

  @GetMapping("/api/v1/me")
  Map<String, Object> me(Authentication auth) {
    Caller caller = callers.resolve(auth);
    return Map.of(
        "username", caller.username(),
        "role", caller.role().name(),
        "tenantId", caller.tenant().map(Object::toString).orElse(""));
  }

  @PostMapping("/api/v1/me/tokens")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Create a personal API token; the secret is in this answer only (use it as a Bearer token)")
  IssuedApiToken issue(Authentication auth, @RequestBody TokenRequest body) {
    return tokens.issue(callers.resolve(auth).account(), body == null ? null : body.name());
  }

  @GetMapping("/api/v1/me/tokens")
  List<ApiToken> list(Authentication auth) {
    return tokens.list(callers.resolve(auth).account());
  }

  @DeleteMapping("/api/v1/me/tokens/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(Authentication auth, @PathVariable String id) {
    tokens.revoke(callers.resolve(auth).account(), PathIds.uuid(id, "token", "tokenId"));
  }

  @PutMapping("/api/v1/me/password")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void changePassword(Authentication auth, @RequestBody PasswordChange body) {
    accounts.changePassword(
        callers.resolve(auth).account(),
        body == null ? null : body.currentPassword(),
        body == null ? null : body.newPassword());
  }

  /** Body of a token request. */
  record TokenRequest(String name) {}

  /** Body of a password change. */
  record PasswordChange(String currentPassword, String newPassword) {}
}
