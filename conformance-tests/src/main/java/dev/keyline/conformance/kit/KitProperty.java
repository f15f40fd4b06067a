package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The properties this slice of the kit judges, each from one {@link Observation}; empty means it held. */
enum KitProperty {
    HOP_CREDENTIALS(
            "hop-credentials",
            "every hop reaches a deployment of the routed group, at its path, with its own key",
            Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            for (Observation.Hop hop : o.hops()) {
                FakeDeployment d = hop.deployment();
                if (!d.group.equals(o.kitCase().group())) {
                    return Optional.of("a hop reached " + d.id + " of group " + d.group);
                }
                if (!hop.event().getRequest().getUrl().startsWith(d.messagesPath())) {
                    return Optional.of("a hop to " + d.id + " used path "
                            + hop.event().getRequest().getUrl());
                }
                if (!d.key.equals(hop.presentedKey())) {
                    String scheme = d.bearer ? "Authorization: Bearer" : "x-api-key";
                    // Its own key in the wrong header leaks nothing, but the deployment refuses the call.
                    return Optional.of(
                            hop.event()
                                            .getRequest()
                                            .getHeaders()
                                            .all()
                                            .toString()
                                            .contains(d.key)
                                    ? "a hop to " + d.id + " presented its own key, but not as " + scheme
                                            + ", which it takes"
                                    : "a hop to " + d.id + " carried another key (" + mask(hop.presentedKey()) + " as "
                                            + scheme + ")");
                }
                // Judged by whose key it is: its own key in a second header leaks nothing; another's anywhere does.
                String headers = hop.event().getRequest().getHeaders().all().toString();
                for (FakeDeployment other : fakes.deployments.values()) {
                    if (other != d && headers.contains(other.key)) {
                        return Optional.of("a hop to " + d.id + " carried the key of " + other.id);
                    }
                }
            }
            return o.hops().isEmpty() ? Optional.of("no hop reached any deployment") : Optional.empty();
        }
    },
    LOOP_HOP_BINDING(
            "loop-hop-binding",
            "every follow-up of a search loop goes to the deployment of its first hop",
            Set.of(Capability.SEARCH_LOOP)) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            Set<String> reached = new HashSet<>();
            o.answeredHops().forEach(h -> reached.add(h.deployment().id));
            if (reached.size() > 1) {
                return Optional.of("one loop reached " + reached);
            }
            // Counted whatever the answer's status: a follow-up that went elsewhere (or nowhere) usually fails the
            // request, and a property that only looked at successful loops would pass exactly the seed's defect.
            int expected = o.kitCase().expectedHops(o.webSearch());
            int arrived = o.answeredHops().size();
            if (arrived >= expected || o.hops().isEmpty()) {
                return Optional.empty();
            }
            String at = o.answeredHops().isEmpty()
                    ? "the loop's deployment"
                    : o.answeredHops().getFirst().deployment().id;
            String elsewhere = o.decoyHits() > 0
                    ? o.decoyHits() + " went to the ANTHROPIC_BASE_URL decoy"
                    : "the rest reached no deployment";
            return Optional.of(expected + " hops expected at " + at + ", " + arrived + " arrived; " + elsewhere
                    + " (HTTP " + o.status() + ")");
        }
    },
    NO_ENV_FALLBACK(
            "no-env-fallback",
            "nothing reaches ANTHROPIC_BASE_URL/OPENAI_BASE_URL or carries ANTHROPIC_API_KEY/OPENAI_API_KEY, the host's"
                    + " AWS identity or its Google application-default credentials",
            Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            for (Observation.Hop hop : o.hops()) {
                String headers = hop.event().getRequest().getHeaders().all().toString();
                if (headers.contains(fakes.decoyKey)) {
                    return Optional.of("a hop to " + hop.deployment().id + " carried the ANTHROPIC_API_KEY decoy");
                }
                if (headers.contains(fakes.openAiDecoyKey)) {
                    return Optional.of("a hop to " + hop.deployment().id + " carried the OPENAI_API_KEY decoy");
                }
                if (headers.contains(fakes.awsDecoyKeyId)) {
                    return Optional.of("a hop to " + hop.deployment().id + " was signed with the host's AWS key");
                }
                if (headers.contains(fakes.bedrockDecoyToken)) {
                    return Optional.of("a hop to " + hop.deployment().id + " carried AWS_BEARER_TOKEN_BEDROCK");
                }
                if (headers.contains(FakeUpstreams.GOOGLE_DECOY_TOKEN)) {
                    return Optional.of("a hop to " + hop.deployment().id
                            + " carried a token minted from GOOGLE_APPLICATION_CREDENTIALS");
                }
            }
            return o.decoyHits() > 0
                    ? Optional.of(o.decoyHits() + " requests reached the ANTHROPIC_BASE_URL/OPENAI_BASE_URL decoy")
                    : Optional.empty();
        }
    },
    HEADER_PROPAGATION(
            "header-propagation",
            "anthropic-version, anthropic-beta and extra headers reach every hop; the gateway key never does",
            Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            for (Observation.Hop hop : o.hops()) {
                String where = "hop to " + hop.deployment().id;
                if (hop.deployment().chat) {
                    // A chat completions server has no use for the anthropic-* headers; its extra headers it gets.
                    if (!Objects.equals(hop.deployment().tenant, hop.header("x-tenant"))) {
                        return Optional.of(where + ": extra header x-tenant " + hop.header("x-tenant"));
                    }
                    if (hop.event().getRequest().getHeaders().all().toString().contains(FakeUpstreams.GATEWAY_KEY)) {
                        return Optional.of(where + ": the client's gateway key was forwarded");
                    }
                    continue;
                }
                // A cloud takes the version (its own) and, on Bedrock, the betas in the body.
                FakeDeployment d = hop.deployment();
                String version = d.version(hop.event().getRequest());
                if (!d.expectedVersion(GatewayClient.VERSION).equals(version)) {
                    return Optional.of(where + ": anthropic version " + version);
                }
                String beta = d.betas(hop.event().getRequest());
                HttpHeader betaHeader = hop.event().getRequest().getHeaders().getHeader("anthropic-beta");
                int betaHeaders = betaHeader.isPresent() ? betaHeader.values().size() : 0;
                String forced = hop.deployment().forcedBeta;
                if (forced != null && (!forced.equals(beta) || betaHeaders != 1)) {
                    return Optional.of(where + ": its own extra header Anthropic-Beta " + forced + " should win, got "
                            + betaHeaders + " anthropic-beta header(s), " + beta);
                }
                if (forced == null
                        && !o.kitCase().betas().isEmpty()
                        && !o.kitCase().betas().equals(beta)) {
                    return Optional.of(where + ": anthropic-beta " + beta + ", client sent "
                            + o.kitCase().betas());
                }
                if (!Objects.equals(hop.deployment().tenant, hop.header("x-tenant"))) {
                    return Optional.of(where + ": extra header x-tenant " + hop.header("x-tenant"));
                }
                if (hop.event().getRequest().getHeaders().all().toString().contains(FakeUpstreams.GATEWAY_KEY)) {
                    return Optional.of(where + ": the client's gateway key was forwarded");
                }
            }
            return Optional.empty();
        }
    },
    LOOP_BOUNDED(
            "loop-bounded",
            "hops per request at most max loops + 1; searches at most max_uses",
            Set.of(Capability.SEARCH_LOOP)) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            if (o.answeredHops().size() > FakeUpstreams.MAX_LOOPS + 1) {
                return Optional.of(o.answeredHops().size() + " hops for max_agentic_loops " + FakeUpstreams.MAX_LOOPS);
            }
            return o.searches() > o.kitCase().maxUses()
                    ? Optional.of(o.searches() + " searches for max_uses "
                            + o.kitCase().maxUses())
                    : Optional.empty();
        }
    },
    NATIVE_SHAPE("native-shape", "search blocks paired by id, no internal tool_use, a valid stop_reason", Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            if (o.status() != 200) {
                return Optional.of("HTTP " + o.status() + ": " + o.answer());
            }
            JsonNode content = o.answer().path("content");
            for (int i = 0; i < content.size(); i++) {
                JsonNode block = content.get(i);
                String type = block.path("type").asText();
                if (type.equals("tool_use") && block.path("name").asText().equals("web_search")) {
                    return Optional.of("the internal search call leaked at content." + i);
                }
                if (type.equals("tool_use")
                        && !o.answer().path("stop_reason").asText().equals("tool_use")) {
                    return Optional.of("a client tool_use at content." + i + " with stop_reason "
                            + o.answer().path("stop_reason").asText());
                }
                if (type.equals("server_tool_use")) {
                    JsonNode next = content.get(i + 1);
                    if (next == null
                            || !next.path("type").asText().equals("web_search_tool_result")
                            || !next.path("tool_use_id")
                                    .asText()
                                    .equals(block.path("id").asText())) {
                        return Optional.of("server_tool_use at content." + i + " has no result right after it");
                    }
                }
            }
            String stop = o.answer().path("stop_reason").asText();
            if (o.webSearch()
                    && o.kitCase().clientTool()
                    && o.kitCase().rounds() > 0
                    && !content.toString().contains("\"get_weather\"")) {
                return Optional.of("the client's own tool call, made beside a search, was dropped");
            }
            return List.of("end_turn", "pause_turn", "tool_use", "max_tokens", "stop_sequence")
                            .contains(stop)
                    ? Optional.empty()
                    : Optional.of("stop_reason " + stop);
        }
    },
    USAGE_SUM("usage-sum", "usage is the sum of every hop's; web_search_requests counts the searches run", Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            int input = 0;
            int output = 0;
            for (int hop = 0; hop < o.answeredHops().size(); hop++) {
                input += ScriptedModelTransformer.Usage.input(hop);
                output += ScriptedModelTransformer.Usage.output(hop);
            }
            JsonNode usage = o.answer().path("usage");
            List<String> wrong = new ArrayList<>();
            if (usage.path("input_tokens").asInt() != input) {
                wrong.add("input_tokens " + usage.path("input_tokens").asInt() + " != " + input);
            }
            if (usage.path("output_tokens").asInt() != output) {
                wrong.add("output_tokens " + usage.path("output_tokens").asInt() + " != " + output);
            }
            if (usage.path("server_tool_use").path("web_search_requests").asInt() != o.searches()) {
                wrong.add("web_search_requests "
                        + usage.path("server_tool_use")
                                .path("web_search_requests")
                                .asInt() + " != " + o.searches() + " searches run");
            }
            return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
        }
    },
    FALLBACK_CREDENTIALS(
            "fallback-credentials",
            "a retry after a failed hop carries the key of the deployment it goes to",
            Set.of(Capability.RETRIES)) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            boolean afterFailure = false;
            for (Observation.Hop hop : o.hops()) {
                if (afterFailure && !hop.deployment().key.equals(hop.presentedKey())) {
                    return Optional.of("the retry to " + hop.deployment().id + " carried another key ("
                            + mask(hop.presentedKey()) + ")");
                }
                afterFailure |= !hop.answered();
            }
            boolean limited =
                    o.hops().stream().anyMatch(h -> h.event().getResponse().getStatus() == 429);
            return limited && o.status() == 429
                    ? Optional.of("a one-off 429 (retry-after 0) was not retried")
                    : Optional.empty();
        }
    },
    HISTORY_REPLAY(
            "history-replay",
            "a next turn carrying the answer's search blocks is accepted and served",
            Set.of(Capability.SEARCH_LOOP)) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            if (o.nextTurn().isEmpty()) {
                return Optional.empty();
            }
            Observation next = o.nextTurn().get();
            return next.status() == 200
                    ? Optional.empty()
                    : Optional.of("the next turn got HTTP " + next.status() + ": " + next.answer());
        }
    },
    STREAM_EQUIVALENCE(
            "stream-equivalence",
            "the folded stream equals the non-streamed answer to the same request (ids aside)",
            Set.of()) {
        @Override
        Optional<String> violation(Observation o, FakeUpstreams fakes) {
            if (!o.kitCase().stream()) {
                return Optional.empty();
            }
            if (o.twin().isEmpty()) {
                return Optional.of("no non-streamed twin was observed");
            }
            JsonNode streamed = withoutIds(o.answer());
            JsonNode json = withoutIds(o.twin().get().answer());
            return streamed.equals(json) ? Optional.empty() : Optional.of("streamed " + streamed + " but JSON " + json);
        }
    };

    final String id;
    final String title;
    /** What the gateway must be able to do for the property to apply to it. */
    final Set<Capability> needs;

    KitProperty(String id, String title, Set<Capability> needs) {
        this.id = id;
        this.title = title;
        this.needs = needs;
    }

    abstract Optional<String> violation(Observation observation, FakeUpstreams fakes);

    /**
     * Message ids, tool ids and the model differ legitimately between two requests; everything else must not. What a
     * client reads the same either way is not a difference: a field that is null or absent, a usage counter that is
     * 0 or absent, and the service tier a stream may state.
     */
    static JsonNode withoutIds(JsonNode message) {
        ObjectNode copy = (ObjectNode) message.deepCopy();
        copy.remove(List.of("id", "model"));
        List<String> nulls = new ArrayList<>();
        copy.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        });
        copy.remove(nulls);
        if (copy.path("usage") instanceof ObjectNode usage) {
            List<String> unstated = new ArrayList<>(List.of("service_tier"));
            usage.properties().forEach(e -> {
                if (e.getValue().isNull()
                        || e.getValue().isNumber() && e.getValue().asLong() == 0) {
                    unstated.add(e.getKey());
                }
            });
            usage.remove(unstated);
        }
        copy.path("content").forEach(block -> ((ObjectNode) block).remove(List.of("id", "tool_use_id")));
        String text = copy.toString().replaceAll("query [0-9a-f-]{36} ", "query ");
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String mask(String key) {
        return key == null ? "none" : key.length() <= 8 ? "****" : key.substring(0, 6) + "****";
    }
}
