package dev.keyline.conformance.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a profile's templates see of the kit's pool, by name (documented in docs/conformance.md, "Judge your
 * gateway"). Keys are named in the environment ({@code key_env}) for configurations that read variables, and given
 * as values ({@code key}) for those that cannot.
 */
final class PoolView {

    private PoolView() {}

    /** @return the whole pool: {@code deployments}, {@code groups}, {@code search}, the gateway's key and port */
    static Map<String, Object> of(FakeUpstreams fakes, int port) {
        Map<String, Object> view = common();
        view.put("port", port);
        List<Map<String, Object>> deployments = new ArrayList<>();
        fakes.deployments.values().forEach(d -> deployments.add(deployment(d)));
        view.put("deployments", deployments);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String group : fakes.groupNames()) {
            groups.add(group(fakes, group));
        }
        view.put("groups", groups);
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("url", "http://127.0.0.1:" + fakes.search.port());
        search.put("tavily", fakes.tavily);
        search.put("key_env", "KIT_SEARCH_KEY");
        view.put("search", search);
        return view;
    }

    /** @return one group: {@code group} (its name), its {@code deployments}, and the run's settings */
    static Map<String, Object> group(FakeUpstreams fakes, String name) {
        Map<String, Object> view = common();
        view.put("group", name);
        view.put("name", name);
        List<Map<String, Object>> members = new ArrayList<>();
        fakes.group(name).forEach(d -> members.add(deployment(d)));
        view.put("deployments", members);
        return view;
    }

    private static Map<String, Object> common() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("gateway_key", FakeUpstreams.GATEWAY_KEY);
        view.put("max_loops", FakeUpstreams.MAX_LOOPS);
        view.put("timeout_seconds", FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS);
        view.put("timeout_ms", FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS * 1000);
        return view;
    }

    private static Map<String, Object> deployment(FakeDeployment d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id);
        view.put("group", d.group);
        view.put("model", d.model());
        view.put("chat", d.chat);
        view.put("anthropic", !d.chat && d.cloud == FakeDeployment.Cloud.NONE);
        // A cloud's deployment names its account, not a key: these say which, and with what.
        view.put("keyed", d.cloud == FakeDeployment.Cloud.NONE);
        view.put("bedrock", d.cloud == FakeDeployment.Cloud.BEDROCK);
        view.put("vertex", d.cloud == FakeDeployment.Cloud.VERTEX);
        view.put("key_id", d.keyId);
        view.put("aws_region", FakeDeployment.BEDROCK_REGION);
        view.put("vertex_project", "kit-project");
        view.put("vertex_location", "us-east5");
        view.put("bearer", d.bearer);
        // Chat servers take Bearer by their protocol; only an Anthropic-compatible one needs telling.
        view.put("bearer_anthropic", d.bearer && !d.chat);
        view.put("origin", d.origin());
        // As the pool draws it: some bases are written with a trailing slash, which must not change the path.
        view.put("api_base", d.apiBase() + (d.trailingSlash ? "/" : ""));
        view.put("api_base_exact", d.apiBase());
        view.put("endpoint", d.origin() + d.messagesPath());
        view.put("key", d.key);
        view.put("key_env", FakeUpstreams.envName(d));
        view.put("tenant", d.tenant);
        view.put("forced_beta", d.forcedBeta);
        // The run's settings again, so a template reaches them inside {{#each}} without ../
        view.put("timeout_seconds", FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS);
        view.put("timeout_ms", FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS * 1000);
        return view;
    }
}
