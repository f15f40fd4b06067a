package dev.keyline.conformance.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the kit judges one kind of gateway, read from a profile file ({@link ProfileFile}): what the gateway can do,
 * how to start it, the configuration it reads for the kit's fakes, and how a request names a group of deployments.
 * Judging a new gateway needs a file, not Java.
 *
 * @param name          the profile's name, in reports
 * @param capabilities  what the gateway can do; the pool, the cases and the applicable properties follow from them
 * @param command       how to start it: {@code {config}}, {@code {port}}, {@code {home}}, {@code {root}} and
 *                      {@code {java}} are filled in; empty when the profile names no command
 * @param environment   variables the gateway process needs besides the kit's, with the same placeholders
 * @param configFile    where the configuration is written: relative to the run's directory, or under {@code {home}}
 * @param config        renders the kit's pool into the gateway's configuration
 * @param model         renders what a request's {@code model} says to reach a group
 * @param prefix        renders the path before {@code /v1/messages} that reaches a group (per-path routing), often empty
 * @param chatPrefix    the same before {@code /v1/chat/completions}
 * @param headers       renders the headers a request carries to reach a group (per-request routing)
 * @param cooldown      the longest a gateway rests a deployment after the kit's one-off 429 ({@code retry-after:
 *                      0}): a case on a group where an earlier case failed a hop waits that long after it, so every
 *                      case starts from a state no earlier case left
 */
public record GatewayProfile(
        String name,
        Set<Capability> capabilities,
        String command,
        Map<String, String> environment,
        String configFile,
        PoolTemplate config,
        PoolTemplate model,
        PoolTemplate prefix,
        PoolTemplate chatPrefix,
        Map<String, PoolTemplate> headers,
        Duration cooldown) {

    public GatewayProfile {
        Objects.requireNonNull(name, "name");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(command, "command");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(chatPrefix, "chatPrefix");
        headers = Map.copyOf(headers);
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown_seconds must not be negative");
        }
        if (!capabilities.contains(Capability.ANTHROPIC_UPSTREAMS)
                && !capabilities.contains(Capability.OPENAI_CHAT_UPSTREAMS)) {
            throw new IllegalArgumentException("profile '" + name
                    + "' calls no upstream protocol the kit fakes (anthropic-upstreams, openai-chat-upstreams)");
        }
    }

    /** @return a built-in profile ({@code keyline}, {@code litellm}, {@code portkey}, …) or a profile file's */
    public static GatewayProfile named(String nameOrFile) {
        return ProfileFile.load(nameOrFile);
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }

    /** @return the capability a property needs that this gateway lacks, if any */
    Optional<Capability> lacksAny(Set<Capability> needed) {
        return needed.stream().filter(c -> !can(c)).findFirst();
    }

    /** @return the configuration file the gateway reads for the kit's fakes */
    String config(FakeUpstreams fakes, int port) {
        return config.render(PoolView.of(fakes, port));
    }

    /** @return what a request's {@code model} says to reach {@code group} */
    String model(FakeUpstreams fakes, String group) {
        return model.render(PoolView.group(fakes, group));
    }

    /** @return headers a client of this gateway sends to reach a model group (per-request routing), on one line each */
    Map<String, String> routingHeaders(FakeUpstreams fakes, String group) {
        if (headers.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> view = PoolView.group(fakes, group);
        Map<String, String> rendered = new LinkedHashMap<>();
        headers.forEach(
                (header, template) -> rendered.put(header, template.render(view).replaceAll("\\s*\\R\\s*", "")));
        return rendered;
    }

    /**
     * A kit request as this gateway wants it addressed to a group: the path before {@code /v1/messages}, the body
     * with the {@code model} it wants, and its routing headers.
     */
    record Addressed(String prefix, String chatPrefix, String body, Map<String, String> headers) {}

    /** @param body a kit body, whose {@code model} names the group as the kit writes it */
    Addressed address(FakeUpstreams fakes, String group, String body) {
        String asWritten = "\"model\":\"" + group + "\"";
        String wanted = model(fakes, group);
        return new Addressed(
                prefix.render(PoolView.group(fakes, group)).strip(),
                chatPrefix.render(PoolView.group(fakes, group)).strip(),
                wanted.equals(group) ? body : body.replace(asWritten, "\"model\":\"" + wanted + "\""),
                routingHeaders(fakes, group));
    }

    boolean webSearch() {
        return can(Capability.SEARCH_LOOP);
    }

    /** @return the command that starts the gateway, placeholders other than the launcher's filled in */
    public String command(Path root, String java, Path home) {
        return fill(command, root, java, home);
    }

    /** @return variables the gateway process needs besides the kit's */
    public Map<String, String> environment(Path root, String java, Path home) {
        Map<String, String> filled = new LinkedHashMap<>();
        environment.forEach((key, value) -> filled.put(key, fill(value, root, java, home)));
        return filled;
    }

    /** @return where the configuration goes for a run in {@code workDir} (its gateway's home is {@code workDir/home}) */
    Path configPath(Path workDir) {
        Path file = Path.of(configFile.replace("{home}", home(workDir).toString()));
        return file.isAbsolute() ? file : workDir.resolve(file);
    }

    /** @return the home directory a run in {@code workDir} gives its gateway */
    public static Path home(Path workDir) {
        return workDir.resolve("home");
    }

    private static String fill(String text, Path root, String java, Path home) {
        return text.replace("{root}", root.toString()).replace("{java}", java).replace("{home}", home.toString());
    }
}
