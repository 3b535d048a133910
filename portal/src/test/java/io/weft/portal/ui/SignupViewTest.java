package io.weft.portal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignupViewTest extends BrowserlessViewTest {

  @Test
  void aWeakPasswordIsRefusedAtTheFieldAsYouType() {
    SignupView view = navigate(SignupView.class);
    test(view.password).setValue("password123");
    assertThat(view.password.isInvalid()).isTrue();
    assertThat(view.password.getErrorMessage()).isNotBlank();
  }

  @Test
  void differingPasswordsAreCaughtBeforeAnythingIsCreated() {
    SignupView view = navigate(SignupView.class);
    String email = "x-" + UUID.randomUUID() + "@example.com";
    test(view.organization).setValue("Differ Ltd");
    test(view.email).setValue(email);
    test(view.password).setValue(PASSWORD);
    test(view.confirm).setValue(PASSWORD + "x");
    test(view.create).click();
    assertThat(view.confirm.isInvalid()).isTrue();
    assertThat(accounts.findByUsername(email)).isEmpty();
  }

  @Test
  void aNewOrganisationIsCreatedWithItsAdminAndATakenEmailIsRefusedAtTheEmailField() {
    SignupView view = navigate(SignupView.class);
    String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    test(view.organization).setValue("Fresh Hosting");
    test(view.email).setValue(email);
    test(view.password).setValue(PASSWORD);
    test(view.confirm).setValue(PASSWORD);
    test(view.create).click();
    assertThat(accounts.findByUsername(email)).isPresent();

    SignupView again = navigate(SignupView.class);
    test(again.organization).setValue("Copycat");
    test(again.email).setValue(email);
    test(again.password).setValue(PASSWORD);
    test(again.confirm).setValue(PASSWORD);
    test(again.create).click();
    assertThat(again.email.isInvalid()).isTrue();
    assertThat(again.email.getErrorMessage()).contains("already exists");
  }
}
