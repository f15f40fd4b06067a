package dev.keyline.app.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.testing.TestConditions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an operator reads on {@code /ui/keys} after traffic on two virtual keys (one in a team, with a budget and an rpm
 * limit): each key's spend against its budget as a bar and as figures, the team's row, and the spend chart by key and
 * by model group. The gateway serves {@code claude-haiku} at $0.00001 per input and $0.00005 per output token, and
 * its upstream answers 7 input and 3 output tokens: $0.00022 a request. Run in a browser already signed in.
 */
final class KeysPageChecks {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HAIKU = """
            {"model":"claude-haiku","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""";

    private KeysPageChecks() {}

    static void spendAgainstBudgetAndTheChart(WebDriver browser, String base, String masterKey) throws Exception {
        assertEquals(200, post(base, "/team/new", masterKey, """
                {"team_id":"platform","team_alias":"Platform","max_budget":10}""").statusCode());
        String ci = key(base, masterKey, """
                {"key_alias":"ci-bot","max_budget":0.001,"team_id":"platform","rpm_limit":60}""");
        String ana = key(base, masterKey, "{\"key_alias\":\"ana\",\"models\":[\"claude-haiku\"]}");
        for (String key : List.of(ci, ci, ana)) {
            HttpResponse<String> reply = post(base, "/v1/messages", key, HAIKU);
            assertEquals(200, reply.statusCode(), reply.body());
        }
        TestConditions.await(
                Duration.ofSeconds(10),
                () -> spendLogs(base, masterKey),
                body -> body.split("\"request_id\"").length == 4);

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(base + "/ui");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("keys-link"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("keys")));

        WebElement ciRow = browser.findElement(By.cssSelector("tr.key[data-alias='ci-bot']"));
        assertEquals("44", ciRow.findElement(By.cssSelector(".bar")).getDomAttribute("aria-valuenow"));
        assertTrue(
                ciRow.findElement(By.cssSelector("td.spend")).getText().contains("$0.00044 / $0.001"), ciRow.getText());
        assertTrue(ciRow.getText().contains("rpm 60"), ciRow.getText());
        assertTrue(ciRow.getText().contains("active"), ciRow.getText());
        WebElement anaRow = browser.findElement(By.cssSelector("tr.key[data-alias='ana']"));
        assertTrue(anaRow.getText().contains("$0.00022 no budget"), anaRow.getText());
        String team = browser.findElement(By.cssSelector("tr.team")).getText();
        assertTrue(team.startsWith("Platform") && team.contains("$0.00044 / $10.00"), team);

        assertEquals(List.of("ana", "ci-bot"), labels(browser), "this hour's bar, one colour per key");
        assertTrue(browser.findElement(By.id("spend-legend")).getText().contains("ci-bot $0.00044"));

        browser.findElement(By.id("by-model_group")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("by-model_group"), "aria-current", "page"));
        assertEquals(List.of("claude-haiku"), labels(browser));
        assertTrue(browser.findElement(By.id("spend-legend")).getText().contains("claude-haiku $0.00066"));
    }

    /** The keys page, at the browser's current (phone) width, needs no sideways scrolling. */
    static void fitsAPhone(WebDriver browser, String base) {
        browser.get(base + "/ui/keys");
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("keys")));
        Object overflow = ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "the keys page is wider than a phone: " + overflow + " px");
    }

    private static List<String> labels(WebDriver browser) {
        return browser.findElements(By.cssSelector("#spend-chart rect.spend")).stream()
                .map(rect -> rect.getDomAttribute("data-label"))
                .distinct()
                .sorted()
                .toList();
    }

    private static String key(String base, String masterKey, String body) throws Exception {
        HttpResponse<String> reply = post(base, "/key/generate", masterKey, body);
        assertEquals(200, reply.statusCode(), reply.body());
        return JSON.readTree(reply.body()).get("key").asText();
    }

    private static String spendLogs(String base, String masterKey) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/spend/logs"))
                                    .header("x-api-key", masterKey)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> post(String base, String path, String key, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("x-api-key", key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
