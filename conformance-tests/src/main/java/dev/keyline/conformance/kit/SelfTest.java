package dev.keyline.conformance.kit;

import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code keyline conformance --self-test}: every property judged against a Keyline mutant built to break it, in
 * front of the user, so a kit about to judge another gateway shows first that each of its properties can fail.
 */
public final class SelfTest {

    /** One mutant's outcome: caught means the property failed on it, as it must. */
    public record Outcome(String property, String defect, boolean caught, String counterexample) {}

    private SelfTest() {}

    /** @return each mutant's outcome, in the order of {@link KeylineMutants#all()} */
    public static List<Outcome> run(long seed, int cases) {
        return run(Surface.MESSAGES, seed, cases);
    }

    /**
     * @param surface the door the properties are asked through: on the chat door, the mutants of the properties it
     *                judges ({@link Surface#CHAT_PROPERTIES} and {@code error-shape})
     * @return each mutant's outcome, in the order of {@link KeylineMutants#all()}
     */
    public static List<Outcome> run(Surface surface, long seed, int cases) {
        List<Outcome> outcomes = new ArrayList<>();
        GatewayProfile keyline = GatewayProfile.named("keyline");
        try (FakeUpstreams fakes = new FakeUpstreams(seed, keyline)) {
            // The mutants run in this process, so no port is written: the keyline profile's file names none.
            GatewayConfig config = new ConfigLoader(fakes.environment()).parse(keyline.config(fakes, 0), "the kit");
            for (KeylineMutants.Mutant mutant : new KeylineMutants(fakes, config).all()) {
                if (surface == Surface.CHAT && !judgedOnChat(mutant.property())) {
                    continue;
                }
                try (KeylineServer gateway =
                        KeylineServer.start(config, "127.0.0.1", 0, InstantSource.system(), mutant.decorate())) {
                    PropertyJudge.Verdict verdict = surface == Surface.CHAT
                            ? judgeOnChat(mutant.property(), gateway.baseUrl(), fakes, keyline, seed, cases)
                            : judge(mutant.property(), gateway.baseUrl(), fakes, keyline, seed, cases);
                    outcomes.add(new Outcome(
                            mutant.property(), mutant.defect(), !verdict.passed(), verdict.counterexample()));
                }
            }
        }
        return outcomes;
    }

    /** Prints one line per mutant; @return whether every mutant was caught */
    public static boolean print(List<Outcome> outcomes, PrintStream out) {
        for (Outcome outcome : outcomes) {
            out.printf("%-24s %-7s %s%n", outcome.property(), outcome.caught() ? "caught" : "MISSED", outcome.defect());
        }
        return outcomes.stream().allMatch(Outcome::caught);
    }

    private static boolean judgedOnChat(String id) {
        return id.equals(ErrorKit.ErrorProperty.ERROR_SHAPE.id)
                || Surface.CHAT_PROPERTIES.stream().anyMatch(p -> p.id.equals(id));
    }

    private static PropertyJudge.Verdict judgeOnChat(
            String id, String baseUrl, FakeUpstreams fakes, GatewayProfile profile, long seed, int cases) {
        ChatClient client = new ChatClient(baseUrl, fakes, profile);
        if (id.equals(ErrorKit.ErrorProperty.ERROR_SHAPE.id)) {
            return new ChatErrorKit(client, fakes, profile).judge(seed, cases);
        }
        KitProperty property = Surface.CHAT_PROPERTIES.stream()
                .filter(p -> p.id.equals(id))
                .findFirst()
                .orElseThrow();
        return new PropertyJudge(client, fakes).judge(property, seed, cases);
    }

    private static PropertyJudge.Verdict judge(
            String id, String baseUrl, FakeUpstreams fakes, GatewayProfile profile, long seed, int cases) {
        if (id.equals(LoopFaultKit.ID)) {
            return new LoopFaultKit(baseUrl, fakes, profile).judge();
        }
        if (id.equals(StreamRescueKit.ID)) {
            return new StreamRescueKit(baseUrl, fakes, profile).judge(seed, cases);
        }
        if (id.equals(CountTokensKit.ID)) {
            return new CountTokensKit(baseUrl, fakes, profile).judge(seed, cases);
        }
        for (KitProperty property : KitProperty.values()) {
            if (property.id.equals(id)) {
                return new PropertyJudge(new GatewayClient(baseUrl, fakes, profile), fakes)
                        .judge(property, seed, cases);
            }
        }
        ErrorKit.ErrorProperty property = Arrays.stream(ErrorKit.ErrorProperty.values())
                .filter(p -> p.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no property " + id));
        return new ErrorKit(baseUrl, fakes, profile).judge(property, seed, cases);
    }
}
