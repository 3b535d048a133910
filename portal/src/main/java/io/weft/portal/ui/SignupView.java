package io.weft.portal.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.TenantService;
import io.weft.fabric.identity.AccountService;
import java.util.Map;

/**
 * Self-service sign-up: an organisation and its first administrator. The password is checked as you
 * type against the same policy the server enforces; the new admin then signs in (through the
 * throttled, CSRF-checked login) and lands in the first-network wizard.
 */
@Route(value = "signup", autoLayout = false)
@PageTitle("Create an organisation · Weft")
@AnonymousAllowed
public class SignupView extends Main {

  final TextField organization = new TextField("Organisation");
  final EmailField email = new EmailField("Your email (you sign in with it)");
  final PasswordField password = new PasswordField("Password");
  final PasswordField confirm = new PasswordField("Repeat the password");
  final Button create = Ui.primary("Create organisation", VaadinIcon.ARROW_RIGHT);

  private final TenantService tenants;
  private final AccountService accounts;

  public SignupView(TenantService tenants, AccountService accounts) {
    this.tenants = tenants;
    this.accounts = accounts;
    addClassNames(
        LumoUtility.Display.FLEX,
        LumoUtility.FlexDirection.COLUMN,
        LumoUtility.AlignItems.CENTER,
        LumoUtility.Padding.LARGE);
    setSizeFull();
    getStyle().set("box-sizing", "border-box");
    H1 brand = new H1("Weft");
    brand.addClassNames(LumoUtility.FontSize.XXXLARGE, LumoUtility.Margin.Bottom.NONE);
    Paragraph intro =
        new Paragraph(
            "Create your organisation: you get your own isolated VM networks, and a short"
                + " wizard sets up the first one.");
    intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.TextAlignment.CENTER);
    intro.setMaxWidth("30em");
    add(brand, intro, card());
  }

  private VerticalLayout card() {
    organization.setId("signup-organization");
    organization.setPlaceholder("Example Hosting Ltd");
    organization.setRequired(true);
    email.setId("signup-email");
    email.setPlaceholder("you@example.com");
    email.setRequired(true);
    password.setId("signup-password");
    password.setHelperText(
        "At least 10 characters, not a common password. A passphrase works well.");
    password.setValueChangeMode(ValueChangeMode.LAZY);
    password.addValueChangeListener(e -> checkPassword());
    confirm.setId("signup-confirm");
    create.setId("signup-create");
    create.setWidthFull();
    create.addClickListener(e -> submit());
    create.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
    FormLayout form = new FormLayout(organization, email, password, confirm);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
    RouterLink login = new RouterLink("Sign in", LoginView.class);
    Span have = new Span("Already have an account? ");
    have.addClassNames(LumoUtility.TextColor.SECONDARY);
    VerticalLayout card = new VerticalLayout(form, create, new Span(have, login));
    card.setMaxWidth("26em");
    card.addClassNames(
        LumoUtility.Padding.LARGE,
        LumoUtility.BorderRadius.LARGE,
        LumoUtility.Background.BASE,
        LumoUtility.BoxShadow.SMALL);
    return card;
  }

  private boolean checkPassword() {
    var problem = accounts.passwordProblem(password.getValue());
    password.setInvalid(problem.isPresent());
    problem.ifPresent(p -> password.setErrorMessage(Problems.capitalise(p)));
    return problem.isEmpty();
  }

  void submit() {
    if (!checkPassword()) {
      return;
    }
    if (!password.getValue().equals(confirm.getValue())) {
      confirm.setErrorMessage("The two passwords differ.");
      confirm.setInvalid(true);
      return;
    }
    confirm.setInvalid(false);
    var fields =
        Map.of(
            "organization", organization,
            "name", organization,
            "adminEmail", email,
            "email", email,
            "username", email,
            "password", password);
    Problems.attempt(
            () ->
                tenants.signup(
                    new SignupRequest(
                        organization.getValue().strip(),
                        email.getValue().strip(),
                        password.getValue())),
            fields)
        .ifPresent(t -> getUI().ifPresent(ui -> ui.getPage().setLocation("login?signedup")));
  }
}
