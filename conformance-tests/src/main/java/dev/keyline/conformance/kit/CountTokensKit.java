package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Judges {@code count-tokens-credentials}: {@code POST /v1/messages/count_tokens} reaches only a deployment of the
 * group it names, at that deployment's own base ({@code …/v1/messages/count_tokens} for an Anthropic-compatible one),
 * with that deployment's own key, and never the host or key the environment names (LiteLLM sends every count to
 * Anthropic's API whatever the deployment's base). A deployment whose protocol has no count (chat completions) may
 * be answered by the gateway's estimate, with no call at all, or by any call that stays on that deployment's base
 * with its key. The answer is {@code {"input_tokens": n}}.
 */
final class CountTokensKit {

    static final String ID = "count-tokens-credentials";
    static final String TITLE =
            "count_tokens reaches only a deployment of the named group, at its own base, with its own key";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A gateway that does not answer count_tokens at all is not judged on how it would. */
    static final Set<Capability> NEEDS = Set.of(Capability.COUNT_TOKENS);

    private final String baseUrl;
    private final FakeUpstreams fakes;
    private final GatewayProfile profile;
    private final HttpClient http = GatewayClient.http11();

    CountTokensKit(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.baseUrl = baseUrl;
        this.fakes = fakes;
        this.profile = profile;
    }

    PropertyJudge.Verdict judge(long seed, int cases) {
        Random random = new Random(seed ^ 0xC0DE);
        for (int i = 0; i < cases; i++) {
            String group = random.nextBoolean() || !fakes.groupNames().contains(FakeUpstreams.SHARED)
                    ? FakeUpstreams.SOLO
                    : FakeUpstreams.SHARED;
            boolean search = random.nextBoolean();
            String described = "{group=" + group + " search-tool=" + search + "}";
            Optional<String> violation = count(group, search);
            if (violation.isPresent()) {
                return new PropertyJudge.Verdict(ID, false, "falsified by " + described + ": " + violation.get());
            }
        }
        return new PropertyJudge.Verdict(ID, true, "");
    }

    private Optional<String> count(String group, boolean search) {
        fakes.deployments.values().forEach(FakeDeployment::forget);
        fakes.decoy.resetRequests();
        String body = "{\"model\":\"" + group
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Count me, please.\"}]"
                + (search ? ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]" : "") + "}";
        GatewayProfile.Addressed addressed = profile.address(fakes, group, body);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + addressed.prefix() + "/v1/messages/count_tokens"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-api-key", FakeUpstreams.GATEWAY_KEY)
                .header("anthropic-version", GatewayClient.VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(addressed.body()));
        addressed.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Optional.of("the gateway closed the connection without an answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!fakes.decoy.getAllServeEvents().isEmpty()) {
            return Optional.of(
                    fakes.decoy.getAllServeEvents().size() + " request(s) reached the ANTHROPIC_BASE_URL decoy");
        }
        for (FakeDeployment d : fakes.deployments.values()) {
            for (ServeEvent hop : d.journal()) {
                String url = hop.getRequest().getUrl();
                if (!d.group.equals(group)) {
                    return Optional.of("a count reached " + d.id + " of group " + d.group);
                }
                // A chat server has no count endpoint of Anthropic's; any call on its own base is its own business
                // (vLLM's /tokenize sits beside /v1, not under it).
                String expected = d.countPath();
                if (!url.startsWith(expected)) {
                    return Optional.of("a count reached " + d.id + " at " + url + ", not " + expected);
                }
                String presented = d.presentedKey(hop.getRequest());
                if (!d.key.equals(presented)) {
                    return Optional.of("a count to " + d.id + " carried another key ("
                            + KitProperty.mask(presented == null ? "none" : presented) + ")");
                }
            }
        }
        if (response.statusCode() != 200) {
            return Optional.of("HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            JsonNode tokens = MAPPER.readTree(response.body()).path("input_tokens");
            return tokens.canConvertToLong() && tokens.asLong() >= 0
                    ? Optional.empty()
                    : Optional.of("no input_tokens in " + response.body());
        } catch (IOException e) {
            return Optional.of("not JSON: " + response.body());
        }
    }
}
