package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.identity.ApiToken;
import io.weft.fabric.identity.ApiTokenService;
import io.weft.fabric.identity.IssuedApiToken;
import io.weft.portal.security.PasswordChanges;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.PermitAll;
import java.util.Map;

/**
 * The signed-in user's own account: password change (which signs out every other session) and
 * personal API tokens, whose secret is shown once, when created.
 */
@Route("account")
@PageTitle("My account · Weft")
@PermitAll
public class AccountView extends VerticalLayout {

  final PasswordField current = new PasswordField("Current password");
  final PasswordField fresh = new PasswordField("New password");
  final PasswordField repeat = new PasswordField("Repeat the new password");
  final Button change = Ui.primary("Change password", VaadinIcon.KEY);
  final TextField tokenName = new TextField("Token name");
  final Button issue = new Button("Create token", VaadinIcon.PLUS.create());
  final Grid<ApiToken> tokens = new Grid<>(ApiToken.class, false);
  private final Paragraph noTokens =
      new Paragraph("You have no tokens. Name one above to create it; its secret is shown once.");
  private final ApiTokenService tokenService;
  private final PasswordChanges passwords;
  private final CurrentUser user;

  public AccountView(ApiTokenService tokenService, PasswordChanges passwords, CurrentUser user) {
    this.tokenService = tokenService;
    this.passwords = passwords;
    this.user = user;
    Ui.page(this);
    var caller = user.caller();
    add(
        Ui.header("My account", caller.username() + " · " + roleName(caller.role())),
        Ui.section("Password"),
        passwordForm(),
        Ui.section("Personal API tokens"),
        new Paragraph(
            "Scripts use a token as \"Authorization: Bearer <token>\" on /api/v1. A token acts as"
                + " you; revoke it when a script no longer needs it."),
        tokenForm(),
        tokens,
        noTokens);
    noTokens.addClassNames(LumoUtility.TextColor.SECONDARY);
    configureTokens();
    refreshTokens();
  }

  private static String roleName(io.weft.fabric.identity.Role role) {
    return switch (role) {
      case OPERATOR -> "operator";
      case TENANT_ADMIN -> "organisation administrator";
      case TENANT_MEMBER -> "organisation member";
    };
  }

  private FormLayout passwordForm() {
    current.setId("current-password");
    fresh.setId("new-password");
    fresh.setHelperText("At least 10 characters, not a common password. Other sessions end.");
    repeat.setId("repeat-password");
    change.setId("change-password");
    change.addClickListener(e -> changePassword());
    FormLayout form = new FormLayout(current, fresh, repeat, change);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 4));
    return form;
  }

  void changePassword() {
    if (!fresh.getValue().equals(repeat.getValue())) {
      repeat.setErrorMessage("The two new passwords differ.");
      repeat.setInvalid(true);
      return;
    }
    repeat.setInvalid(false);
    if (Problems.attempt(
        () -> passwords.change(user.caller(), current.getValue(), fresh.getValue()),
        Map.of("currentPassword", current, "newPassword", fresh))) {
      current.clear();
      fresh.clear();
      repeat.clear();
      Problems.success("Password changed; your other sessions were signed out");
    }
  }

  private HorizontalLayout tokenForm() {
    tokenName.setId("token-name");
    tokenName.setPlaceholder("e.g. backup script");
    issue.setId("create-token");
    issue.addClickListener(e -> issueToken());
    HorizontalLayout form = new HorizontalLayout(tokenName, issue);
    form.setAlignItems(FlexComponent.Alignment.BASELINE);
    return form;
  }

  private void configureTokens() {
    tokens.setId("tokens-grid");
    tokens.addColumn(ApiToken::name).setHeader("Name").setAutoWidth(true);
    tokens.addColumn(t -> Ui.time(t.createdAt())).setHeader("Created").setAutoWidth(true);
    tokens
        .addColumn(t -> t.lastUsedAt() == null ? "never" : Ui.time(t.lastUsedAt()))
        .setHeader("Last used")
        .setAutoWidth(true);
    tokens
        .addComponentColumn(t -> {
          Button revoke = new Button("Revoke", e -> revoke(t));
          revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
          return revoke;
        })
        .setAutoWidth(true)
        .setFlexGrow(0);
    tokens.setAllRowsVisible(true);
    tokens.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
  }

  void issueToken() {
    Problems.attempt(
            () -> tokenService.issue(user.caller().account(), tokenName.getValue().strip()),
            Map.of("name", tokenName))
        .ifPresent(t -> {
          tokenName.clear();
          refreshTokens();
          showSecret(t);
        });
  }

  private void showSecret(IssuedApiToken issued) {
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Token " + issued.token().name() + " created");
    TextArea secret = new TextArea("Secret");
    secret.setValue(issued.secret());
    secret.setReadOnly(true);
    secret.setWidth("34em");
    secret.setId("token-secret");
    Paragraph warn =
        new Paragraph(
            "Copy it now: this is the only time it is shown. Only a hash is kept on the server.");
    warn.addClassNames(LumoUtility.TextColor.ERROR);
    dialog.add(new VerticalLayout(warn, secret));
    Button done = Ui.primary("I have copied it", VaadinIcon.CHECK);
    done.addClickListener(e -> dialog.close());
    dialog.getFooter().add(done);
    dialog.open();
  }

  private void revoke(ApiToken token) {
    if (Problems.attempt(() -> tokenService.revoke(user.caller().account(), token.id()))) {
      refreshTokens();
    }
  }

  void refreshTokens() {
    var items = tokenService.list(user.caller().account());
    tokens.setItems(items);
    tokens.setVisible(!items.isEmpty());
    noTokens.setVisible(items.isEmpty());
  }
}
