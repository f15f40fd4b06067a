package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.UsageLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * Outgoing port for what operators measure: requests, attempts, fallbacks, rests, upstream latency, tokens and
 * searches. Values passed are configuration names (groups, deployments, engines) or fixed words, never keys, bases or
 * client text; an adapter may rely on that to bound its label values. Implementations must be cheap and safe for
 * concurrent use: they are called on every request's path.
 *
 * <p>Every event is a default no-op, so an adapter implements only what it shows (the status page counts a few
 * events, Prometheus all). A new event is a method here, its line in {@link Both} (a test checks that every event
 * reaches both), and its metric in the adapter that shows it.
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
    default void request(String surface, String modelGroup, String deployment, int status, Duration elapsed) {}

    /**
     * One call to a deployment, as the router saw it end.
     *
     * @param outcome {@code ok}, or the failure's class ({@code rate_limit}, {@code timeout}, …)
     */
    default void attempt(Deployment deployment, String outcome) {}

    /** A request moved from one model group to a fallback group. */
    default void fallback(ModelGroupName from, ModelGroupName to) {}

    /** A deployment was put to rest. */
    default void cooldownStarted(Deployment deployment, FailureClass reason) {}

    /**
     * A stream broke mid-answer and the gateway tried to have it continued.
     *
     * @param broken  the deployment whose stream broke
     * @param outcome {@code continued} (another call took it up) or {@code failed} (none could; the client got the
     *                failure)
     */
    default void streamRescue(Deployment broken, String outcome) {}

    /**
     * How long a deployment took: for a JSON answer the whole answer, for a stream its first event.
     *
     * @param streamed whether it was a stream (the time is then a time to first token)
     */
    default void upstream(Deployment deployment, Duration elapsed, boolean streamed) {}

    /** The tokens of one finished call. */
    default void tokens(Deployment deployment, long input, long output) {}

    /**
     * One search run for a web-search loop.
     *
     * @param engine  the engine's kind, e.g. {@code searxng}
     * @param outcome {@code ok} or the error's name
     */
    default void search(String engine, String outcome, Duration elapsed) {}

    /**
     * The time the gateway itself added to a request: to its answer (a stream: its first byte), less the time spent
     * waiting on upstreams and searches.
     */
    default void added(String surface, Duration added) {}

    /**
     * A web-search loop ended.
     *
     * @param modelGroup the group of the deployment every hop went to
     * @param deployment the deployment every hop went to
     * @param hops       the model calls it made, its first included
     * @param searches   the searches the gateway ran for it
     */
    default void loop(String modelGroup, String deployment, int hops, int searches) {}

    /** A stream to a client opened. */
    default void streamOpened() {}

    /** A stream to a client ended, however it ended. */
    default void streamClosed() {}

    /**
     * A deployment was skipped because it was at one of its limits.
     *
     * @param retryIn when the limit lets a call through again
     */
    default void limitReached(Deployment deployment, UsageLimit limit, Duration retryIn) {}

    /**
     * A virtual key's request was accounted.
     *
     * @param key  the key's alias (or preview), never the key or its hash
     * @param team the team's id, or {@code none}
     */
    default void spent(String key, String team, Usd cost) {}

    /**
     * A virtual key's request was refused before any upstream was called.
     *
     * @param reason {@code blocked}, {@code expired}, {@code model}, {@code budget} or {@code limit}
     */
    default void keyRefused(String key, String team, String reason) {}

    /**
     * A request presented no valid key.
     *
     * @param throttled whether the client's address had failed too often and was refused without a check
     */
    default void authFailed(boolean throttled) {}

    /**
     * The spend log's writer took stock: entries waiting to be written (while the database is away, say), and
     * entries given up since the last report (only when its buffer was full).
     */
    default void spendBacklog(int pending, long dropped) {}

    /** @return a telemetry that records nothing */
    static Telemetry off() {
        return Off.INSTANCE;
    }

    /** @return a telemetry that tells both {@code first} and {@code second} everything, in that order */
    static Telemetry both(Telemetry first, Telemetry second) {
        return new Both(first, second);
    }

    /** Records nothing. */
    enum Off implements Telemetry {
        INSTANCE
    }

    /** Tells two telemetries. */
    record Both(Telemetry first, Telemetry second) implements Telemetry {
        public Both {
            Objects.requireNonNull(first, "'first' must not be null");
            Objects.requireNonNull(second, "'second' must not be null");
        }

        @Override
        public void request(String surface, String modelGroup, String deployment, int status, Duration elapsed) {
            first.request(surface, modelGroup, deployment, status, elapsed);
            second.request(surface, modelGroup, deployment, status, elapsed);
        }

        @Override
        public void attempt(Deployment deployment, String outcome) {
            first.attempt(deployment, outcome);
            second.attempt(deployment, outcome);
        }

        @Override
        public void fallback(ModelGroupName from, ModelGroupName to) {
            first.fallback(from, to);
            second.fallback(from, to);
        }

        @Override
        public void cooldownStarted(Deployment deployment, FailureClass reason) {
            first.cooldownStarted(deployment, reason);
            second.cooldownStarted(deployment, reason);
        }

        @Override
        public void streamRescue(Deployment broken, String outcome) {
            first.streamRescue(broken, outcome);
            second.streamRescue(broken, outcome);
        }

        @Override
        public void upstream(Deployment deployment, Duration elapsed, boolean streamed) {
            first.upstream(deployment, elapsed, streamed);
            second.upstream(deployment, elapsed, streamed);
        }

        @Override
        public void tokens(Deployment deployment, long input, long output) {
            first.tokens(deployment, input, output);
            second.tokens(deployment, input, output);
        }

        @Override
        public void search(String engine, String outcome, Duration elapsed) {
            first.search(engine, outcome, elapsed);
            second.search(engine, outcome, elapsed);
        }

        @Override
        public void added(String surface, Duration added) {
            first.added(surface, added);
            second.added(surface, added);
        }

        @Override
        public void loop(String modelGroup, String deployment, int hops, int searches) {
            first.loop(modelGroup, deployment, hops, searches);
            second.loop(modelGroup, deployment, hops, searches);
        }

        @Override
        public void streamOpened() {
            first.streamOpened();
            second.streamOpened();
        }

        @Override
        public void streamClosed() {
            first.streamClosed();
            second.streamClosed();
        }

        @Override
        public void limitReached(Deployment deployment, UsageLimit limit, Duration retryIn) {
            first.limitReached(deployment, limit, retryIn);
            second.limitReached(deployment, limit, retryIn);
        }

        @Override
        public void spent(String key, String team, Usd cost) {
            first.spent(key, team, cost);
            second.spent(key, team, cost);
        }

        @Override
        public void keyRefused(String key, String team, String reason) {
            first.keyRefused(key, team, reason);
            second.keyRefused(key, team, reason);
        }

        @Override
        public void authFailed(boolean throttled) {
            first.authFailed(throttled);
            second.authFailed(throttled);
        }

        @Override
        public void spendBacklog(int pending, long dropped) {
            first.spendBacklog(pending, dropped);
            second.spendBacklog(pending, dropped);
        }
    }
}
