package dev.keyline.app.keys;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.operations.HeadlessChromium;
import dev.keyline.app.operations.LoopUpstream;
import dev.keyline.domain.testing.TestConditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The keys page in a real browser (Debian's Chromium): after traffic on two keys, an operator signs in, follows the
 * status page's link, and reads each key's spend against its budget as a bar and as figures, the team's row, and the
 * spend chart by key and by model group; the page fits a phone's width. Saves a screenshot for docs/keys.md.
 */
class KeysPageBrowserTest {

    private static final String MASTER = "sk-master-keys-page";
    private static final String PLAIN = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "keys-page.png");

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private KeylineServer keyline;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        LoopUpstream.stub(upstream);
        Path config = dir.resolve("keyline.yaml");
        // 11 input and 4 output tokens a request: $0.00031 at these prices.
        Files.writeString(config, """
                model_list:
                  - model_name: g
                    litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY,
                                     input_cost_per_token: 1e-5, output_cost_per_token: 5e-5}
                    model_info: {id: a}
                general_settings:
                  master_key: os.environ/MASTER
                """.formatted(upstream.baseUrl()));
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", "sk-deployment-page", "MASTER", MASTER)).load(config),
                "127.0.0.1",
                0,
                InstantSource.system());
        browser = HeadlessChromium.start(dir.resolve("profile"));
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
    void anOperatorReadsSpendAgainstBudgetAndTheSpendChart() throws Exception {
        KeyedGateway gateway = new KeyedGateway(keyline.baseUrl(), MASTER);
        assertEquals(200, gateway.post("/team/new", MASTER, """
                {"team_id":"platform","team_alias":"Platform","max_budget":10}""").statusCode());
        String ci = gateway.generate("""
                {"key_alias":"ci-bot","max_budget":0.001,"team_id":"platform","rpm_limit":60}""").get("key").asText();
        String ana = gateway.generate("{\"key_alias\":\"ana\",\"models\":[\"g\"]}")
                .get("key")
                .asText();
        for (int i = 0; i < 2; i++) {
            assertEquals(200, gateway.messages(ci, PLAIN).statusCode());
        }
        assertEquals(200, gateway.messages(ana, PLAIN).statusCode());
        TestConditions.await(
                Duration.ofSeconds(10), () -> spendLogs(gateway), body -> body.split("\"request_id\"").length == 4);

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(keyline.baseUrl() + "/ui");
        browser.findElement(By.id("key")).sendKeys(MASTER);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("keys-link"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("keys")));

        WebElement ciRow = browser.findElement(By.cssSelector("tr.key[data-alias='ci-bot']"));
        assertEquals("62", ciRow.findElement(By.cssSelector(".bar")).getDomAttribute("aria-valuenow"));
        assertTrue(
                ciRow.findElement(By.cssSelector("td.spend")).getText().contains("$0.00062 / $0.001"), ciRow.getText());
        assertTrue(ciRow.getText().contains("rpm 60"), ciRow.getText());
        assertTrue(ciRow.getText().contains("active"), ciRow.getText());
        WebElement anaRow = browser.findElement(By.cssSelector("tr.key[data-alias='ana']"));
        assertTrue(anaRow.getText().contains("$0.00031 no budget"), anaRow.getText());
        String team = browser.findElement(By.cssSelector("tr.team")).getText();
        assertTrue(team.startsWith("Platform") && team.contains("$0.00062 / $10.00"), team);

        List<String> labels = browser.findElements(By.cssSelector("#spend-chart rect.spend")).stream()
                .map(rect -> rect.getDomAttribute("data-label"))
                .distinct()
                .sorted()
                .toList();
        assertEquals(List.of("ana", "ci-bot"), labels, "this hour's bar, one colour per key");
        assertTrue(browser.findElement(By.id("spend-legend")).getText().contains("ci-bot $0.00062"));
        screenshot();

        browser.findElement(By.id("by-model_group")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("by-model_group"), "aria-current", "page"));
        assertEquals(
                List.of("g"),
                browser.findElements(By.cssSelector("#spend-chart rect.spend")).stream()
                        .map(rect -> rect.getDomAttribute("data-label"))
                        .distinct()
                        .toList());
        assertTrue(browser.findElement(By.id("spend-legend")).getText().contains("g $0.00093"));

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("keys")));
        Object overflow = ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "the page is wider than a phone: " + overflow + " px");
    }

    private static String spendLogs(KeyedGateway gateway) {
        try {
            return gateway.get("/spend/logs", MASTER).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void screenshot() throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
}
