package dev.keyline.adapters.providers.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Continuation;
import dev.keyline.ports.out.ProviderClient;
import io.helidon.webclient.http1.Http1Client;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * A wire protocol Keyline speaks to upstreams, and the providers that speak it. Each protocol lives in its own
 * package ({@code providers.anthropic}, {@code providers.openai}) and is listed once in the {@code ProviderRegistry};
 * the configuration loader and the dispatcher learn everything about a provider from here.
 */
public interface ProviderProtocol {

    /** @return a short name for messages and docs, e.g. {@code anthropic-messages} */
    String name();

    /** @return the providers (LiteLLM's prefixes) that speak this protocol, each with its own facts */
    List<ProviderDescriptor> providers();

    /** @return the {@code auth_scheme} values a deployment of this protocol may name, and what each means */
    Map<String, AuthScheme> authSchemes();

    /** @return the paths the adapter appends to a deployment's {@code api_base}, for docs and {@code check} */
    List<String> appendedPaths();

    /** @return whether the upstream counts tokens itself; otherwise the gateway estimates */
    boolean countsTokens();

    /** @return what identifies a deployment of this protocol to its provider; a key unless a cloud's account */
    default AccountKind account() {
        return AccountKind.API_KEY;
    }

    /**
     * @return how its deployments continue an answer given its start, unless a deployment's settings say otherwise
     *     (a stream's rescue asks only deployments that continue); Claude's prefill by default
     */
    default Continuation continuation() {
        return Continuation.PREFILL;
    }

    /**
     * @param http   the gateway's one provider HTTP client ({@link ProviderHttpClients})
     * @param mapper the JSON mapper
     * @param clock  the time source, for {@code retry-after} dates and call budgets
     * @return the adapter, built once and shared by every deployment of this protocol
     */
    ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock);
}
