package dev.keyline.conformance.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestWrapper;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Body;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One deployment of the fakes: its own origin (a WireMock server on loopback), path, key and extra header, so every
 * journaled request says which deployment it reached and with what.
 */
final class FakeDeployment implements AutoCloseable {

    final String id;
    final String group;
    final String key;
    /** Its own extra header {@code X-Tenant}'s value, or null when the gateway cannot give a deployment headers. */
    final String tenant;
    /** The deployment takes its key as {@code Authorization: Bearer} and refuses it as {@code x-api-key}. */
    final boolean bearer;
    /** The configuration writes its {@code api_base} with a trailing slash, which must not change the path. */
    final boolean trailingSlash;
    /**
     * An extra header {@code Anthropic-Beta} (another case than the client's {@code anthropic-beta}) the configuration
     * gives this deployment, or null: the deployment's own header wins, and reaches it once.
     */
    final String forcedBeta;
    /** It speaks OpenAI's chat completions, as a vLLM server does, not Anthropic's Messages. */
    final boolean chat;

    private final WireMockServer server;

    FakeDeployment(
            String id,
            String group,
            String key,
            String tenant,
            boolean bearer,
            boolean trailingSlash,
            String forcedBeta,
            boolean chat) {
        this(id, group, key, tenant, bearer, trailingSlash, forcedBeta, chat, UnaryOperator.identity());
    }

    /** @param rewrite what every request's body becomes before the fake reads it (identity in runs) */
    FakeDeployment(
            String id,
            String group,
            String key,
            String tenant,
            boolean bearer,
            boolean trailingSlash,
            String forcedBeta,
            boolean chat,
            UnaryOperator<String> rewrite) {
        this.id = id;
        this.group = group;
        this.key = key;
        this.tenant = tenant;
        this.bearer = bearer;
        this.trailingSlash = trailingSlash;
        this.forcedBeta = forcedBeta;
        this.chat = chat;
        this.server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .extensions(new ScriptedModelTransformer(id, key, bearer, chat), new Rewriting(id, rewrite)));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse()));
    }

    /** Rewrites a request's body before the fake model reads it, as another gateway's translation would have. */
    private record Rewriting(String id, UnaryOperator<String> rewrite) implements StubRequestFilterV2 {
        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            return RequestFilterAction.continueWith(RequestWrapper.create()
                    .transformBody(body -> new Body(rewrite.apply(body.asString())))
                    .wrap(request));
        }

        @Override
        public String getName() {
            return "rewriting-" + id;
        }
    }

    String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    /** @return its base as its provider's configurations write it (a chat base includes {@code /v1}) */
    String apiBase() {
        return origin() + "/" + id + (chat ? "/v1" : "/anthropic");
    }

    /** @return the path its protocol's calls take */
    String messagesPath() {
        return "/" + id + (chat ? "/v1/chat/completions" : "/anthropic/v1/messages");
    }

    List<ServeEvent> journal() {
        return server.getAllServeEvents();
    }

    void forget() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }
}
