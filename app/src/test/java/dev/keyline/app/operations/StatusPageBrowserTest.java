package dev.keyline.app.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser (Debian's Chromium, driven through its chromedriver): sign in with the gateway
 * key, watch a deployment a scripted failure put to rest show as cooling with its reason and a countdown, and
 * recover on its own as the page refreshes itself; meanwhile, in a second tab, the keys page after traffic on two
 * virtual keys ({@link KeysPageChecks}); both pages fit a phone's width. Saves a screenshot of the resting
 * state for docs/operations.md. Skipped, saying so, where Chromium is not installed ({@code ./keyline test} installs
 * it).
 */
class StatusPageBrowserTest {

    private static final String GATEWAY_KEY = "sk-ui-gateway-5";
    private static final String KEY = "sk-ui-deployment-6";
    private static final String MESSAGE = """
            {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":3}}""";
    /** Where the screenshots land; docs/images/status-page.png and keys-page.png are copies of them. */
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "status-page.png");

    private static final Path KEYS_SCREENSHOT = Path.of("target", "screenshots", "keys-page.png");

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path profile;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private KeylineServer keyline;
    private WebDriver browser;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        upstream.stubFor(
                post(urlPathEqualTo("/a/v1/messages"))
                        .willReturn(
                                aResponse()
                                        .withStatus(529)
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}")));
        upstream.stubFor(post(urlPathEqualTo("/b/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(MESSAGE)));
        // From a file in a folder of the test's own: the keys' embedded database is created beside it.
        Path config = dir.resolve("ui.yaml");
        Files.writeString(config, """
                                model_list:
                                  - model_name: claude-sonnet
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY,
                                                     order: 1}
                                    model_info: {id: kimi-primary}
                                  - model_name: claude-sonnet
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/b", api_key: os.environ/KEY,
                                                     order: 2, rpm: 600}
                                    model_info: {id: kimi-backup}
                                  - model_name: claude-haiku
                                    litellm_params: {model: anthropic/m, api_base: "%1$s/b", api_key: os.environ/KEY,
                                                     input_cost_per_token: 1e-5, output_cost_per_token: 5e-5}
                                    model_info: {id: haiku-1}
                                router_settings:
                                  cooldown_time: 6
                                general_settings:
                                  master_key: os.environ/GATEWAY_KEY
                                """.formatted(upstream.baseUrl()));
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", KEY, "GATEWAY_KEY", GATEWAY_KEY)).load(config),
                "127.0.0.1",
                0,
                InstantSource.system());
        browser = HeadlessChromium.start(profile);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (keyline != null) {
            keyline.close();
        }
    }

    @Test
    void aRestingDeployment_showsAsCoolingWithItsReason_andRecoversOnItsOwn() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(keyline.baseUrl() + "/ui");
        browser.findElement(By.id("key")).sendKeys(GATEWAY_KEY);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployments")));
        assertEquals(
                "healthy",
                browser.findElement(By.cssSelector("#deployment-kimi-primary .state"))
                        .getText());
        Cookie session = browser.manage().getCookieNamed("keyline_ui");
        assertTrue(session.isHttpOnly());
        assertFalse(session.getValue().contains(GATEWAY_KEY), "the cookie holds a signed session, not the key");

        for (int i = 0; i < 3; i++) {
            assertEquals(200, send("claude-sonnet"), "kimi-primary fails; kimi-backup answers");
        }
        assertEquals(200, send("claude-haiku"));

        // The page refreshes itself: no reload.
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#deployment-kimi-primary .state"), "cooling"));
        String reason = browser.findElement(By.cssSelector("#deployment-kimi-primary .reason"))
                .getText();
        assertTrue(reason.contains("529"), reason);
        String countdown = browser.findElement(By.cssSelector("#deployment-kimi-primary .countdown"))
                .getText();
        assertTrue(countdown.matches("[1-6] s left"), countdown);
        assertEquals("4", browser.findElement(By.id("total-requests")).getText(), "the totals count every request");
        assertTrue(browser.findElement(By.id("recent")).getText().contains("retry → kimi-backup ok 200"));
        screenshot(SCREENSHOT);

        // While the rest runs out, the keys page in a second tab; this one keeps refreshing itself.
        String statusTab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        KeysPageChecks.spendAgainstBudgetAndTheChart(browser, keyline.baseUrl(), GATEWAY_KEY);
        screenshot(KEYS_SCREENSHOT);
        browser.close();
        browser.switchTo().window(statusTab);

        // Its rest ends after cooldown_time (6 s); the page shows it healthy again by itself.
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.textToBe(By.cssSelector("#deployment-kimi-primary .state"), "healthy"));

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployments")));
        Object overflow = ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "the page is wider than a phone: " + overflow + " px");
        KeysPageChecks.fitsAPhone(browser, keyline.baseUrl());
        browser.navigate().back();

        browser.findElement(By.cssSelector("form[action='/ui/logout'] button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
    }

    private int send(String model) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                                .header("x-api-key", GATEWAY_KEY)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                        + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private void screenshot(Path to) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(to.getParent());
        Files.copy(shot, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
