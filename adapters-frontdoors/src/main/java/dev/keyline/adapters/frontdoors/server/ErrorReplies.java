package dev.keyline.adapters.frontdoors.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.failure.ErrorReply;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.keys.KeyRefusal;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.in.GatewayError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a {@link GatewayError} into what the client receives. An upstream's Anthropic-shaped error is relayed as
 * it came, with its status; anything else is wrapped in the Anthropic shape with the upstream's status, so
 * clients always get an error they can parse.
 */
public final class ErrorReplies {

    private static final int SNIPPET = 300;

    private final ObjectMapper mapper;

    public ErrorReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * An error reply, decided once for every door: its status, its Anthropic body (an upstream's own, relayed as it
     * came, or the gateway's), the error's type and words (so another door writes its own shape from them without
     * reading the body back), and a {@code retry-after} in seconds when the upstream asked for one.
     */
    public record Reply(int status, byte[] body, String type, String message, Optional<Long> retryAfterSeconds) {
        public Reply {
            Objects.requireNonNull(body, "'body' must not be null");
            Objects.requireNonNull(type, "'type' must not be null");
            Objects.requireNonNull(message, "'message' must not be null");
            Objects.requireNonNull(retryAfterSeconds, "'retryAfterSeconds' must not be null");
        }
    }

    public Reply of(GatewayError error) {
        return switch (error) {
            case GatewayError.UnknownModel unknown ->
                anthropic(
                        404,
                        "model '" + unknown.model()
                                + "' is not served by this gateway; ask for one of its model_name values");
            case GatewayError.UpstreamFailed failed -> ofFailure(failed.deployment(), failed.failure());
            case GatewayError.AllCoolingDown cooling -> {
                long seconds = Math.max(1, (cooling.retryIn().toMillis() + 999) / 1000);
                yield gateway(
                        429,
                        "every deployment of model group '" + cooling.group()
                                + "' is cooling down after upstream failures; try again in " + seconds + " s",
                        Optional.of(seconds));
            }
            case GatewayError.AtLimit limited -> {
                long seconds = Math.max(1, (limited.retryIn().toMillis() + 999) / 1000);
                String limits = limited.limits().stream()
                        .map(UsageLimit::configName)
                        .sorted()
                        .collect(Collectors.joining(" or "));
                yield gateway(
                        429,
                        "every deployment of model group '" + limited.group() + "' is at its " + limits
                                + " limit; try again in " + seconds + " s",
                        Optional.of(seconds));
            }
            case GatewayError.KeyRefused refused -> ofKey(refused.refusal());
        };
    }

    /**
     * A key's refusal: 401 for a key that no longer works, 403 for a group it may not use, 429 with
     * {@code retry-after} at a rate limit, and 402 ({@code billing_error}) for a spent budget, which the SDKs do not
     * retry (a budget that resets in days is not worth a retry loop).
     */
    private static Reply ofKey(KeyRefusal refusal) {
        return switch (refusal) {
            case KeyRefusal.Blocked blocked -> anthropic(401, blocked.message());
            case KeyRefusal.Expired expired -> anthropic(401, expired.message());
            case KeyRefusal.ModelNotAllowed model -> anthropic(403, model.message());
            case KeyRefusal.OverBudget budget -> anthropic(402, budget.message());
            case KeyRefusal.AtLimit limit ->
                gateway(
                        429,
                        limit.message(),
                        Optional.of(Math.max(1, (limit.retryIn().toMillis() + 999) / 1000)));
        };
    }

    private Reply ofFailure(DeploymentId deployment, ProviderFailure failure) {
        return switch (failure) {
            case ProviderFailure.RateLimited limited -> relay(deployment, limited.reply(), limited.retryAfter());
            case ProviderFailure.Overloaded overloaded ->
                relay(deployment, overloaded.reply(), overloaded.retryAfter());
            case ProviderFailure.ServerError server -> relay(deployment, server.reply(), Optional.empty());
            case ProviderFailure.Unauthorized unauthorized -> relay(deployment, unauthorized.reply(), Optional.empty());
            case ProviderFailure.PermissionDenied denied -> relay(deployment, denied.reply(), Optional.empty());
            case ProviderFailure.NotFound notFound -> relay(deployment, notFound.reply(), Optional.empty());
            case ProviderFailure.RequestTooLarge tooLarge -> relay(deployment, tooLarge.reply(), Optional.empty());
            case ProviderFailure.InvalidRequest invalid -> relay(deployment, invalid.reply(), Optional.empty());
            case ProviderFailure.Timeout timeout ->
                anthropic(504, "deployment '" + deployment + "' did not answer within " + seconds(timeout.after()));
            case ProviderFailure.ConnectionFailed connection ->
                anthropic(502, "deployment '" + deployment + "' is unreachable: " + connection.reason());
            case ProviderFailure.MalformedReply malformed ->
                anthropic(
                        502,
                        "deployment '" + deployment + "' answered HTTP " + malformed.status() + " unusably: "
                                + malformed.reason());
        };
    }

    private Reply relay(DeploymentId deployment, ErrorReply reply, Optional<Duration> retryAfter) {
        Optional<Long> wait = retryAfter.map(d -> Math.max(1, (d.toMillis() + 999) / 1000));
        JsonNode root = tree(reply.body());
        if (isAnthropicError(root)) {
            return new Reply(
                    reply.status(),
                    reply.body().getBytes(StandardCharsets.UTF_8),
                    root.path("error").path("type").textValue(),
                    root.path("error").path("message").textValue(),
                    wait);
        }
        String message = "deployment '" + deployment + "' answered HTTP " + reply.status()
                + describe(root, reply.body()).map(text -> ": " + text).orElse("");
        return gateway(reply.status(), message, wait);
    }

    private static boolean isAnthropicError(JsonNode root) {
        return root != null
                && root.path("type").asText().equals("error")
                && root.path("error").path("type").isTextual()
                && root.path("error").path("message").isTextual();
    }

    /**
     * The upstream's own words when it used another error shape (OpenAI's, say), else the start of its body.
     *
     * @param root the body as JSON, already read, or null when it is not JSON
     */
    private static Optional<String> describe(JsonNode root, String body) {
        if (root != null) {
            for (JsonNode candidate : new JsonNode[] {
                root.path("error").path("message"), root.path("message"), root.path("error"), root.path("detail")
            }) {
                if (candidate.isTextual() && !candidate.textValue().isBlank()) {
                    return Optional.of(shorten(candidate.textValue()));
                }
            }
        }
        String text = body.strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(shorten(text));
    }

    private JsonNode tree(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= SNIPPET ? oneLine : oneLine.substring(0, SNIPPET) + "…";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static Reply anthropic(int status, String message) {
        return gateway(status, message, Optional.empty());
    }

    /** The gateway's own words, typed by the status as Anthropic types its errors. */
    private static Reply gateway(int status, String message, Optional<Long> retryAfterSeconds) {
        String type = AnthropicErrors.typeFor(status);
        return new Reply(status, AnthropicErrors.body(type, message), type, message, retryAfterSeconds);
    }
}
