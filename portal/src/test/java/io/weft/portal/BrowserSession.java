package io.weft.portal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian chromium at 1280×800 driven by Selenium, for the few end-to-end tests that need
 * a real browser. Screenshots land in target/screenshots (a CI artifact).
 */
public final class BrowserSession implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final WebDriver driver;
  private final String baseUrl;

  private BrowserSession(WebDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  /** Opens a browser, or skips the test with the reason when chromium is not installed. */
  static BrowserSession open(int port) {
    return open("http://localhost:" + port);
  }

  /**
   * A browser on any address; it accepts self-signed certificates (the test balancer's own), which
   * is all the extra trust it gets.
   */
  public static BrowserSession open(String baseUrl) {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      System.out.println(
          "SKIPPED browser test: /usr/bin/chromium or /usr/bin/chromedriver missing"
              + " (./weft test installs them when run as root)");
    }
    assumeTrue(present, "chromium and chromedriver are not installed");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,800");
    if (baseUrl.startsWith("https:")) {
      options.addArguments("--ignore-certificate-errors");
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new BrowserSession(new ChromeDriver(service, options), baseUrl);
  }

  public void go(String path) {
    driver.get(baseUrl + path);
  }

  public WebElement waitFor(By locator) {
    return new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  public void waitForText(By locator, String text) {
    waitForText(locator, text, Duration.ofSeconds(20));
  }

  public void waitForText(By locator, String text, Duration timeout) {
    new WebDriverWait(driver, timeout)
        .until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
  }

  /** Scrolls the element to the top of the window, e.g. to screenshot a section further down. */
  void scrollTo(By locator) {
    WebElement element = waitFor(locator);
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript("arguments[0].scrollIntoView({block: 'start'});", element);
  }

  public WebDriver driver() {
    return driver;
  }

  public void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
