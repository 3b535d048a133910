package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.SignupRequest;
import io.weft.fabric.TenantService;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A real chromium signs in as the operator and reaches the home view. */
@H2ApplicationTest
class LoginBrowserTest {

  @LocalServerPort int port;
  @Autowired TenantService tenants;

  @Test
  void operatorSignsInAndSeesTheHomeView() {
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/");
      WebElement form = browser.waitFor(By.tagName("vaadin-login-form"));
      browser.screenshot("login");
      form.findElement(By.cssSelector("input[name='username']")).sendKeys("admin");
      form.findElement(By.cssSelector("input[name='password']"))
          .sendKeys(H2ApplicationTest.ADMIN_PASSWORD);
      form.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();

      browser.waitForText(By.id("home-title"), "Welcome, admin");
      browser.screenshot("home");
      assertThat(browser.driver().getCurrentUrl()).doesNotContain("login");
    }
  }

  @Test
  void aWrongPasswordKeepsTheVisitorOnTheLoginPageWithAMessage() {
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/login");
      WebElement form = browser.waitFor(By.tagName("vaadin-login-form"));
      form.findElement(By.cssSelector("input[name='username']")).sendKeys("admin");
      form.findElement(By.cssSelector("input[name='password']")).sendKeys("not-the-password");
      form.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();
      browser.waitForText(By.tagName("vaadin-login-form"), "Incorrect user name or password");
      assertThat(browser.driver().getCurrentUrl()).contains("login?error");
    }
  }

  @Test
  void fiveWrongPasswordsSlowDownFurtherAttemptsEvenWithTheRightOne() {
    String email = "throttled-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String password = "patient-heron-window-64";
    tenants.signup(new SignupRequest("Throttle Test", email, password));
    try (BrowserSession browser = BrowserSession.open(port)) {
      for (int i = 1; i <= 5; i++) {
        browser.go("/login");
        attempt(browser, email, "guess-number-" + i);
        browser.waitForText(By.tagName("vaadin-login-form"), "Incorrect user name or password");
      }
      browser.go("/login");
      attempt(browser, email, password);
      browser.waitForText(By.tagName("vaadin-login-form"), "Too many failed attempts");
      assertThat(browser.driver().getCurrentUrl()).contains("login?throttled=");
      browser.screenshot("login-throttled");
    }
  }

  private static void attempt(BrowserSession browser, String user, String password) {
    WebElement form = browser.waitFor(By.tagName("vaadin-login-form"));
    form.findElement(By.cssSelector("input[name='username']")).sendKeys(user);
    form.findElement(By.cssSelector("input[name='password']")).sendKeys(password);
    form.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();
  }
}
