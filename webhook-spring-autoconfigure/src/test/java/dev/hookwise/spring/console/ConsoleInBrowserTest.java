package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console in a real browser: Debian's {@code chromium}, headless, driven through its
 * {@code chromedriver} by Selenium, against a Boot application on a random port with an H2 event
 * log behind Spring Security (login form, CSRF on). An operator logs in, sees a dead event with its
 * reason, clicks replay, confirms, and the event ends completed, in the store and on the page.
 *
 * <p>Needs {@code chromium} and {@code chromedriver} on the {@code PATH}
 * ({@code apt-get install chromium chromium-driver}; {@code .ci/run} installs them): skipped with a
 * message without them, failed with {@code CI=true}. Selenium is given the local driver and browser,
 * so Selenium Manager never tries to download one. The page's screenshot is written to
 * {@code target/console-screenshot.png} (the README's picture is one of these).
 */
class ConsoleInBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Path chromium;
    private static Path chromedriver;

    private ConfigurableApplicationContext app;
    private WebDriver browser;

    @BeforeAll
    static void findTheBrowser() {
        Optional<Path> browserPath = onPath("chromium");
        Optional<Path> driverPath = onPath("chromedriver");
        if (browserPath.isEmpty() || driverPath.isEmpty()) {
            String message = "the console's browser test needs chromium and chromedriver on the PATH (apt-get install -y"
                    + " chromium chromium-driver); missing: " + (browserPath.isEmpty() ? "chromium " : "")
                    + (driverPath.isEmpty() ? "chromedriver" : "");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; with CI=true it must run (.ci/run installs both)");
            }
            Assumptions.abort(message);
        }
        chromium = browserPath.get();
        chromedriver = driverPath.get();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void anOperatorReplaysADeadEventFromTheConsole(@TempDir Path profile) throws Exception {
        app = ConsoleTestApp.start(SecuredConsoleTestApp.class);
        IdempotencyStore store = app.getBean(IdempotencyStore.class);
        Instant now = Instant.now();
        seedADay(store, now);
        TestEvent dead = ConsoleTestApp.refund(now.minus(Duration.ofMinutes(42)));
        ConsoleTestApp.seedDead(store, dead, "refund service down: 503 from refunds API");
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();

        browser = chrome(profile);
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/hookwise");
        // Spring Security's login form first.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys(ConsoleTestApp.USER);
        browser.findElement(By.name("password")).sendKeys(ConsoleTestApp.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        By row = By.cssSelector("tr[data-event-id='" + dead.id() + "']");
        WebElement deadRow = wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        assertThat(deadRow.findElement(By.cssSelector("td.status")).getText()).isEqualTo("dead");
        assertThat(deadRow.findElement(By.cssSelector("td.reason")).getText()).contains("refund service down: 503 from refunds API");
        assertThat(browser.findElement(By.id("failure-rate")).getText()).endsWith("%");
        assertThat(browser.findElement(By.id("backlog-pending")).getText()).isEqualTo("1"); // the retrying event
        assertThat(browser.findElements(By.cssSelector("#types tr[data-type='charge.refunded']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#latency-chart polyline.p99"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#latency-chart circle.p50"))).hasSizeGreaterThanOrEqualTo(20);
        Files.write(Path.of("target", "console-screenshot.png"),
                ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        deadRow.findElement(By.cssSelector("button.replay")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(dialog.findElement(By.id("confirm-id")).getText()).isEqualTo(dead.id());
        assertThat(store.find(dead.id()).orElseThrow().status()).as("nothing replays before the confirmation").isEqualTo(EventStatus.DEAD);
        browser.findElement(By.id("confirm-replay")).click();

        // Asynchronous mode: the replay is queued, a worker runs it, the page follows the event.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-event-id='" + dead.id() + "'] td.status"),
                "completed"));
        EventRecord after = store.find(dead.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(after.source()).isEqualTo(EventSource.REPLAY);
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(1);
        assertThat(browser.findElement(By.id("message")).getText()).contains(dead.id()).contains("completed");
    }

    /** A day of traffic for the figures and the chart: completed events every hour, a slow hour, a retrying one, another dead one. */
    private static void seedADay(IdempotencyStore store, Instant now) {
        Random random = new Random(17);
        StripeEventFactory events = StripeEventFactory.create();
        List<String> types = List.of("payment_intent.succeeded", "invoice.payment_succeeded", "customer.subscription.updated",
                "charge.refunded");
        for (int hour = 23; hour >= 0; hour--) {
            for (int i = 0; i < 40; i++) {
                Instant created = now.minus(Duration.ofHours(hour)).minus(Duration.ofMinutes(random.nextInt(50)));
                double slow = hour == 9 ? 4 : 1; // an hour when the database was slow
                long ms = Math.round((30 + random.nextInt(40) + (random.nextInt(10) == 0 ? 150 + random.nextInt(700) : 0)) * slow);
                ConsoleTestApp.seedCompleted(store, events.event(types.get((hour + i) % types.size())).created(created).build(),
                        Duration.ofMillis(ms));
            }
        }
        ConsoleTestApp.seedFailed(store, events.customerSubscriptionUpdated().created(now.minus(Duration.ofMinutes(7))).build(),
                "SocketTimeoutException: fulfilment service did not answer in 10 s", now.plus(Duration.ofMinutes(20)));
        ConsoleTestApp.seedDead(store, events.invoicePaymentFailed().created(now.minus(Duration.ofHours(5))).build(),
                "UnreadablePayloadException: event evt_… data.object.amount_due is not a number");
    }

    private static WebDriver chrome(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1350", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
