package dev.keyline.domain.failure;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call to a deployment failed, classified from the upstream's answer (or the lack of one). Routing,
 * retries and cooldowns decide by switching over these variants.
 */
public sealed interface ProviderFailure {

    /** @return whether the same request may succeed when sent again */
    boolean retriable();

    /** HTTP 429. */
    record RateLimited(ErrorReply reply, Optional<Duration> retryAfter) implements ProviderFailure {
        public RateLimited {
            Objects.requireNonNull(reply, "'reply' must not be null");
            Objects.requireNonNull(retryAfter, "'retryAfter' must not be null");
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** HTTP 529: the upstream is overloaded. */
    record Overloaded(ErrorReply reply, Optional<Duration> retryAfter) implements ProviderFailure {
        public Overloaded {
            Objects.requireNonNull(reply, "'reply' must not be null");
            Objects.requireNonNull(retryAfter, "'retryAfter' must not be null");
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** HTTP 5xx (other than 529) and 408. */
    record ServerError(ErrorReply reply) implements ProviderFailure {
        public ServerError {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** HTTP 401: the deployment's key was refused. */
    record Unauthorized(ErrorReply reply) implements ProviderFailure {
        public Unauthorized {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** HTTP 403. */
    record PermissionDenied(ErrorReply reply) implements ProviderFailure {
        public PermissionDenied {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** HTTP 404: wrong path or unknown model at the upstream. */
    record NotFound(ErrorReply reply) implements ProviderFailure {
        public NotFound {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** HTTP 413. */
    record RequestTooLarge(ErrorReply reply) implements ProviderFailure {
        public RequestTooLarge {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** HTTP 400, 422 and every other 4xx: the request itself is at fault. */
    record InvalidRequest(ErrorReply reply) implements ProviderFailure {
        public InvalidRequest {
            Objects.requireNonNull(reply, "'reply' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** No complete answer within the deployment's timeout. */
    record Timeout(Duration after) implements ProviderFailure {
        public Timeout {
            Objects.requireNonNull(after, "'after' must not be null");
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** The connection could not be made, or broke before an answer was complete. */
    record ConnectionFailed(String reason) implements ProviderFailure {
        public ConnectionFailed {
            Objects.requireNonNull(reason, "'reason' must not be null");
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** A success status with a body that is not a Messages response, or a redirect the gateway will not follow. */
    record MalformedReply(int status, String reason) implements ProviderFailure {
        public MalformedReply {
            Objects.requireNonNull(reason, "'reason' must not be null");
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** @return the HTTP status the upstream answered with, or 0 when it sent none (a timeout, a lost connection) */
    default int upstreamStatus() {
        return switch (this) {
            case RateLimited failure -> failure.reply().status();
            case Overloaded failure -> failure.reply().status();
            case ServerError failure -> failure.reply().status();
            case Unauthorized failure -> failure.reply().status();
            case PermissionDenied failure -> failure.reply().status();
            case NotFound failure -> failure.reply().status();
            case RequestTooLarge failure -> failure.reply().status();
            case InvalidRequest failure -> failure.reply().status();
            case MalformedReply failure -> failure.status();
            case Timeout failure -> 0;
            case ConnectionFailed failure -> 0;
        };
    }

    /**
     * Classifies an HTTP error answer.
     *
     * @param status     the upstream's status, 400 to 599
     * @param body       the upstream's body
     * @param retryAfter the wait the upstream asked for, if any
     * @return the failure
     */
    static ProviderFailure fromHttpStatus(int status, String body, Optional<Duration> retryAfter) {
        ErrorReply reply = new ErrorReply(status, body);
        return switch (status) {
            case 401 -> new Unauthorized(reply);
            case 403 -> new PermissionDenied(reply);
            case 404 -> new NotFound(reply);
            case 408 -> new ServerError(reply);
            case 413 -> new RequestTooLarge(reply);
            case 429 -> new RateLimited(reply, retryAfter);
            case 529 -> new Overloaded(reply, retryAfter);
            default -> status >= 500 ? new ServerError(reply) : new InvalidRequest(reply);
        };
    }
}
