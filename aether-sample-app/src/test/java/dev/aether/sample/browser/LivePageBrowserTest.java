package dev.aether.sample.browser;

import dev.aether.sample.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs) opens it, runs commands through its forms, and sees the new events
 * arrive in the live feed without a reload. Leaves a screenshot in {@code target/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LivePageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration UI = Duration.ofSeconds(15);

    private static ChromeDriver browser;
    private static Path profile;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startChromium() throws IOException {
        assertThat(CHROMIUM).as("Debian's chromium package (apt-get install chromium; .ci/run installs it)")
                .isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver package (apt-get install chromium-driver)")
                .isExecutable();
        profile = Files.createTempDirectory("aether-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1500,950", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void showsTheEventsOfACommandInTheLiveFeedWithoutReloading() throws IOException {
        browser.get("http://127.0.0.1:" + port + "/");
        await().atMost(UI).until(() -> text("feed-status").equals("live"));
        ((JavascriptExecutor) browser).executeScript("window.samePage = 'yes';");
        String id = "web-" + UUID.randomUUID().toString().substring(0, 6);

        browser.findElement(By.id("open-owner")).sendKeys("Ada Lovelace");
        browser.findElement(By.id("open-id")).sendKeys(id);
        browser.findElement(By.id("open-submit")).click();
        await().atMost(UI).until(() -> !feedItems(id, "AccountOpened").isEmpty());

        browser.findElement(By.id("amount")).sendKeys("2500");
        browser.findElement(By.id("deposit-submit")).click();
        await().atMost(UI).until(() -> !feedItems(id, "MoneyDeposited").isEmpty());
        await().atMost(UI).until(() -> browser.findElements(By.cssSelector("#events tr[data-version='2']")).size() == 1);
        assertThat(text("account-summary")).contains("25.00").contains("version 2");

        // Another client (another process, in production) withdraws through the API: the page hears of it.
        assertThat(new ApiClient(port).post("/api/accounts/" + id + "/withdrawals", "{\"amount\":700}",
                "X-Correlation-Id", "from-curl").status()).isEqualTo(200);
        await().atMost(UI).until(() -> !feedItems(id, "MoneyWithdrawn").isEmpty());
        assertThat(feedItems(id, "MoneyWithdrawn").get(0).getText()).contains("from-curl");
        await().atMost(UI).until(() -> text("account-summary").contains("18.00"));
        assertThat(browser.findElements(By.cssSelector("#accounts tr[data-id='" + id + "']"))).hasSize(1);

        assertThat(((JavascriptExecutor) browser).executeScript("return window.samePage;"))
                .as("the page was not reloaded").isEqualTo("yes");
        Path screenshot = Path.of("target", "screenshots", "sample-app.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void showsTheProblemWhenAWithdrawalExceedsTheBalance() {
        String id = "web-" + UUID.randomUUID().toString().substring(0, 6);
        new ApiClient(port).post("/api/accounts", "{\"id\":\"" + id + "\",\"owner\":\"Grace\"}");
        browser.get("http://127.0.0.1:" + port + "/");
        await().atMost(UI).until(() -> browser.findElements(By.cssSelector("#accounts tr[data-id='" + id + "']"))
                .size() == 1);

        browser.findElement(By.cssSelector("#accounts tr[data-id='" + id + "']")).click();
        await().atMost(UI).until(() -> browser.findElement(By.id("withdraw-submit")).isEnabled());
        browser.findElement(By.id("amount")).sendKeys("100");
        browser.findElement(By.id("withdraw-submit")).click();

        await().atMost(UI).until(() -> text("message").contains("422"));
        assertThat(text("message")).contains("Insufficient funds");
        assertThat(feedItems(id, "MoneyWithdrawn")).isEmpty();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static List<WebElement> feedItems(String actorId, String type) {
        return browser.findElements(By.cssSelector(
                "#feed .feed-item[data-actor-id='" + actorId + "'][data-type='" + type + "']"));
    }
}
