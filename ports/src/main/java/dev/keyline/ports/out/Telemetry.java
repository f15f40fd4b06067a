package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.FailureClass;
import java.time.Duration;

/**
 * Outgoing port for what operators measure: requests, attempts, fallbacks, rests, upstream latency, tokens and
 * searches. Values passed are configuration names (groups, deployments, engines) or fixed words, never keys, bases or
 * client text; an adapter may rely on that to bound its label values. Implementations must be cheap and safe for
 * concurrent use: they are called on every request's path.
 */
public interface Telemetry {

    /**
     * A request answered by a front door.
     *
     * @param surface    {@code messages}, {@code chat_completions} or {@code count_tokens}
     * @param modelGroup a configured model group, or {@code unknown} for a name the gateway does not serve
     * @param deployment the deployment that answered, or {@code none}
     * @param status     the HTTP status the client got
     * @param elapsed    the whole time in the gateway, upstream included (for a stream: until its end)
     */
    void request(String surface, String modelGroup, String deployment, int status, Duration elapsed);

    /**
     * One call to a deployment, as the router saw it end.
     *
     * @param outcome {@code ok}, or the failure's class ({@code rate_limit}, {@code timeout}, …)
     */
    void attempt(Deployment deployment, String outcome);

    /** A request moved from one model group to a fallback group. */
    void fallback(ModelGroupName from, ModelGroupName to);

    /** A deployment was put to rest. */
    void cooldownStarted(Deployment deployment, FailureClass reason);

    /**
     * How long a deployment took: for a JSON answer the whole answer, for a stream its first event.
     *
     * @param streamed whether it was a stream (the time is then a time to first token)
     */
    void upstream(Deployment deployment, Duration elapsed, boolean streamed);

    /** The tokens of one finished call. */
    void tokens(Deployment deployment, long input, long output);

    /**
     * One search run for a web-search loop.
     *
     * @param engine  the engine's kind, e.g. {@code searxng}
     * @param outcome {@code ok} or the error's name
     */
    void search(String engine, String outcome, Duration elapsed);

    /** @return a telemetry that records nothing */
    static Telemetry off() {
        return Off.INSTANCE;
    }

    /** Records nothing. */
    enum Off implements Telemetry {
        INSTANCE;

        @Override
        public void request(String surface, String modelGroup, String deployment, int status, Duration elapsed) {}

        @Override
        public void attempt(Deployment deployment, String outcome) {}

        @Override
        public void fallback(ModelGroupName from, ModelGroupName to) {}

        @Override
        public void cooldownStarted(Deployment deployment, FailureClass reason) {}

        @Override
        public void upstream(Deployment deployment, Duration elapsed, boolean streamed) {}

        @Override
        public void tokens(Deployment deployment, long input, long output) {}

        @Override
        public void search(String engine, String outcome, Duration elapsed) {}
    }
}
