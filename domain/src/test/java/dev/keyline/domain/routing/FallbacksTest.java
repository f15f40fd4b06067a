package dev.keyline.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.failure.ProviderFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbacksTest {

    private static final ModelGroupName PRIMARY = new ModelGroupName("primary");
    private static final ModelGroupName BACKUP = new ModelGroupName("backup");
    private static final ModelGroupName LONG = new ModelGroupName("long");
    private static final ModelGroupName ANY = new ModelGroupName("any");

    private final Fallbacks fallbacks = new Fallbacks(
            Map.of(PRIMARY, List.of(BACKUP, PRIMARY, BACKUP)),
            Map.of(PRIMARY, List.of(LONG)),
            Map.of(),
            List.of(ANY),
            5);

    @Test
    void eachTrigger_usesItsList() {
        assertEquals(List.of(BACKUP), fallbacks.after(PRIMARY, FallbackTrigger.UNAVAILABLE));
        assertEquals(List.of(LONG), fallbacks.after(PRIMARY, FallbackTrigger.CONTEXT_WINDOW));
        assertEquals(
                List.of(),
                fallbacks.after(PRIMARY, FallbackTrigger.CONTENT_POLICY),
                "a refusal is the model's answer; without content_policy_fallbacks it is returned, not replaced");
        assertEquals(List.of(), fallbacks.after(PRIMARY, FallbackTrigger.NONE));
        assertEquals(List.of(ANY), fallbacks.after(BACKUP, FallbackTrigger.UNAVAILABLE));
    }

    @Test
    void aContentPolicyRefusal_goesOnlyToContentPolicyFallbacks() {
        Fallbacks withList = new Fallbacks(
                Map.of(PRIMARY, List.of(BACKUP)), Map.of(), Map.of(PRIMARY, List.of(LONG)), List.of(ANY), 5);

        assertEquals(List.of(LONG), withList.after(PRIMARY, FallbackTrigger.CONTENT_POLICY));
        assertEquals(List.of(), withList.after(BACKUP, FallbackTrigger.CONTENT_POLICY), "not the default_fallbacks");
    }

    @Test
    void atMostMaxFallbacks_areTried() {
        List<ModelGroupName> many =
                List.of("a", "b", "c", "d").stream().map(ModelGroupName::new).toList();
        Fallbacks capped = new Fallbacks(Map.of(PRIMARY, many), Map.of(), Map.of(), List.of(), 2);

        assertEquals(many.subList(0, 2), capped.after(PRIMARY, FallbackTrigger.UNAVAILABLE));
    }

    @Test
    void failures_pickTheirTrigger() {
        assertEquals(
                FallbackTrigger.CONTEXT_WINDOW,
                FallbackTrigger.of(ProviderFailure.fromHttpStatus(
                        400,
                        "{\"error\":{\"message\":\"prompt is too long: 215000 tokens > 200000 maximum\"}}",
                        Optional.empty())));
        assertEquals(
                FallbackTrigger.CONTENT_POLICY,
                FallbackTrigger.of(ProviderFailure.fromHttpStatus(
                        400, "Output blocked by content filtering policy (content_filter)", Optional.empty())));
        assertEquals(
                FallbackTrigger.NONE, FallbackTrigger.of(ProviderFailure.fromHttpStatus(400, "bad", Optional.empty())));
        assertEquals(
                FallbackTrigger.UNAVAILABLE,
                FallbackTrigger.of(ProviderFailure.fromHttpStatus(401, "", Optional.empty())));
    }
}
