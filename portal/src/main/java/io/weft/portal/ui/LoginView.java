package io.weft.portal.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.theme.lumo.LumoUtility;
import java.util.List;
import java.util.Map;

/**
 * The sign-in page: Spring Security processes the form's POST to /login. The query tells why the
 * visitor is here: a wrong password, a throttled attempt, a fresh sign-up, a password change.
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Weft")
@AnonymousAllowed
public class LoginView extends Main implements BeforeEnterObserver {

  private final LoginForm form = new LoginForm();
  private final Paragraph notice = new Paragraph();

  public LoginView() {
    addClassNames(
        LumoUtility.Display.FLEX,
        LumoUtility.FlexDirection.COLUMN,
        LumoUtility.AlignItems.CENTER,
        LumoUtility.JustifyContent.CENTER,
        LumoUtility.Padding.LARGE);
    setSizeFull();
    getStyle().set("box-sizing", "border-box");
    form.setAction("login");
    form.setForgotPasswordButtonVisible(false);
    form.setI18n(i18n(null));
    H1 brand = new H1("Weft");
    brand.addClassNames(LumoUtility.FontSize.XXXLARGE, LumoUtility.Margin.Bottom.NONE);
    Paragraph tagline = new Paragraph("Virtual networks for every tenant, on every host.");
    tagline.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.Top.SMALL);
    notice.setId("login-notice");
    notice.setVisible(false);
    notice.setMaxWidth("22em");
    notice.addClassNames(
        LumoUtility.Padding.MEDIUM,
        LumoUtility.BorderRadius.MEDIUM,
        LumoUtility.Background.PRIMARY_10,
        LumoUtility.TextAlignment.CENTER);
    RouterLink signup = new RouterLink("Create an organisation", SignupView.class);
    signup.setId("signup-link");
    Div newHere = new Div(new Span("New to Weft? "), signup);
    newHere.addClassNames(LumoUtility.TextColor.SECONDARY);
    add(brand, tagline, notice, form, newHere);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
    if (query.containsKey("throttled")) {
      String seconds =
          query.get("throttled").stream()
              .findFirst()
              .filter(s -> s.matches("\\d{1,4}"))
              .orElse("a few");
      form.setI18n(i18n(seconds));
      form.setError(true);
    } else {
      form.setI18n(i18n(null));
      form.setError(query.containsKey("error"));
    }
    if (query.containsKey("signedup")) {
      show(
          "Your organisation is ready. Sign in with your email address to set up your first network.");
    } else if (query.containsKey("signedout")) {
      show("You were signed out because your password was changed. Sign in with the new one.");
    }
  }

  private void show(String text) {
    notice.setText(text);
    notice.setVisible(true);
  }

  private static LoginI18n i18n(String throttledSeconds) {
    LoginI18n i18n = LoginI18n.createDefault();
    i18n.getForm().setTitle("Sign in");
    i18n.getForm().setUsername("Email or user name");
    if (throttledSeconds != null) {
      i18n.getErrorMessage().setTitle("Too many failed attempts");
      i18n.getErrorMessage()
          .setMessage(
              "To protect your account, wait "
                  + throttledSeconds
                  + " seconds before you try again.");
    } else {
      i18n.getErrorMessage().setTitle("Incorrect user name or password");
      i18n.getErrorMessage()
          .setMessage("Check that you entered the right user name and password and try again.");
    }
    return i18n;
  }
}
