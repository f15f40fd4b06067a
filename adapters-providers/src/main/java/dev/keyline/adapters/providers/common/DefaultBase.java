package dev.keyline.adapters.providers.common;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a deployment without {@code api_base} goes, and when that is allowed. LiteLLM sends such a deployment to
 * its provider's own API; Keyline does so only where that cannot be a slip, since a key meant for another host
 * would otherwise travel to the provider's.
 */
public sealed interface DefaultBase {

    /** No host of its own ({@code hosted_vllm}): the deployment must name its {@code api_base}. */
    record None() implements DefaultBase {}

    /**
     * The provider is one host ({@code deepseek}, {@code groq}, a local Ollama): any model may go there.
     *
     * @param base the provider's API
     */
    record AnyModel(String base) implements DefaultBase {
        public AnyModel {
            Objects.requireNonNull(base, "'base' must not be null");
        }
    }

    /**
     * The provider's protocol is spoken by many hosts, so only the provider's own models ({@code claude-…},
     * {@code gpt-…}) may go to its API without a base.
     *
     * @param base   the provider's API
     * @param models the names of the provider's own models (matched at the start)
     * @param owner  whose API it is, for messages ("Anthropic", "OpenAI")
     */
    record OwnModels(String base, Pattern models, String owner) implements DefaultBase {
        public OwnModels {
            Objects.requireNonNull(base, "'base' must not be null");
            Objects.requireNonNull(models, "'models' must not be null");
            Objects.requireNonNull(owner, "'owner' must not be null");
        }
    }

    /**
     * A cloud's API, whose address the deployment's own cloud settings complete (its region, its project): it is
     * never a guess, since those settings are required.
     *
     * @param template the address, with the settings it needs in braces, e.g.
     *                 {@code https://bedrock-runtime.{region}.amazonaws.com}
     */
    record Cloud(String template) implements DefaultBase {
        public Cloud {
            Objects.requireNonNull(template, "'template' must not be null");
        }
    }
}
