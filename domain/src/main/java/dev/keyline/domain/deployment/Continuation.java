package dev.keyline.domain.deployment;

/**
 * How a deployment continues an answer it was given the start of, so a stream that broke mid-answer can be finished
 * by another call: a provider fact, which a deployment's own settings may narrow or widen.
 */
public enum Continuation {
    /** A final assistant turn is continued (Anthropic's prefill), unless the deployment says it refuses prefill. */
    PREFILL,
    /**
     * An OpenAI-compatible server continues the final assistant message when asked to ({@code continue_final_message},
     * as vLLM does); the adapter asks.
     */
    CONTINUE_FINAL_MESSAGE,
    /** The deployment cannot be trusted to continue: asked, it would start a new answer. */
    NONE;

    /** @return whether a broken answer may be continued here */
    public boolean continues() {
        return this != NONE;
    }
}
