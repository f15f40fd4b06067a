package dev.keyline.adapters.frontdoors.server;

import dev.keyline.adapters.wire.BodyBytes;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.adapters.wire.WireFormatException;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.ports.in.CountTokensUseCase;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.in.TokensResult;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.UpstreamAnswer;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code POST /v1/messages}: reads the request, hands it to the use case, and answers with JSON or SSE. */
public final class MessagesHttpService implements HttpService {

    /** Whether a token count is the deployment's own ({@code upstream}) or the gateway's estimate. */
    static final HeaderName TOKEN_COUNT_HEADER = HeaderNames.create("x-keyline-token-count");

    private static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");
    private static final HeaderName ANTHROPIC_BETA = HeaderNames.create("anthropic-beta");
    private static final System.Logger LOG = System.getLogger(MessagesHttpService.class.getName());

    private final HandleMessagesUseCase messages;
    private final CountTokensUseCase counts;
    private final MessagesRequestCodec requests;
    private final MessageResponseCodec responses;
    private final ErrorReplies errors;
    private final AccessLog access;
    private final MessageEventCodec eventCodec;

    public MessagesHttpService(
            HandleMessagesUseCase messages,
            CountTokensUseCase counts,
            MessagesRequestCodec requests,
            MessageResponseCodec responses,
            MessageEventCodec eventCodec,
            ErrorReplies errors,
            AccessLog.Sinks sinks) {
        this.messages = Objects.requireNonNull(messages, "'messages' must not be null");
        this.counts = Objects.requireNonNull(counts, "'counts' must not be null");
        this.requests = Objects.requireNonNull(requests, "'requests' must not be null");
        this.responses = Objects.requireNonNull(responses, "'responses' must not be null");
        this.eventCodec = Objects.requireNonNull(eventCodec, "'eventCodec' must not be null");
        this.errors = Objects.requireNonNull(errors, "'errors' must not be null");
        this.access = new AccessLog(LOG, "POST /v1/messages", "messages", sinks);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/count_tokens", this::countTokens).post("/", this::post).any("/", (req, res) -> {
            res.header(HeaderNames.ALLOW, "POST");
            AnthropicErrors.send(
                    res,
                    405,
                    "invalid_request_error",
                    req.prologue().method().text() + " is not supported on /v1/messages; use POST");
        });
    }

    /** @return the request's body, or empty when the client stopped sending before it was whole (answered 400) */
    private static Optional<byte[]> body(ServerRequest req, ServerResponse res) {
        try {
            return Optional.of(
                    BodyBytes.readAll(req.content().inputStream(), req.headers().contentLength()));
        } catch (IOException | RuntimeException e) {
            // The client stopped sending before its body was whole (closed, reset, or too slow): its fault, not
            // the gateway's. The answer may not reach it; the log says what happened, without a stack trace.
            LOG.log(
                    Level.INFO,
                    "POST {0}: the request body could not be read whole ({1}); answered 400",
                    req.path().path(),
                    e.getClass().getSimpleName());
            AnthropicErrors.send(
                    res,
                    400,
                    "invalid_request_error",
                    "the request body ended before the length it announced, or arrived too slowly");
            return Optional.empty();
        }
    }

    /** @return the command, or empty when the body is not a valid request (answered 400) */
    private Optional<MessagesCommand> command(
            ServerRequest req, ServerResponse res, boolean counting, InMemoryRequestJournal journal) {
        Optional<byte[]> body = body(req, res);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try {
            MessagesRequest request = counting ? requests.readForCounting(body.get()) : requests.read(body.get());
            return Optional.of(new MessagesCommand(request, protocolHeaders(req), journal));
        } catch (WireFormatException | IllegalArgumentException e) {
            AnthropicErrors.send(res, 400, "invalid_request_error", e.getMessage());
            access.line(journal, "-", Optional.empty(), "-", 400);
            return Optional.empty();
        }
    }

    private void countTokens(ServerRequest req, ServerResponse res) {
        InMemoryRequestJournal journal = InMemoryRequestJournal.of(req);
        Optional<MessagesCommand> parsed = command(req, res, true, journal);
        if (parsed.isEmpty()) {
            return;
        }
        MessagesCommand command = parsed.get();
        Optional<GatewayError> refusal = access.admit(journal, command.request().model());
        if (refusal.isPresent()) {
            refuse(res, command, refusal.get(), journal);
            return;
        }
        try {
            switch (counts.count(command)) {
                case TokensResult.Counted counted -> {
                    res.header(ReplyHeaders.DEPLOYMENT, counted.servedBy().value());
                    res.header(TOKEN_COUNT_HEADER, counted.estimated() ? "estimated" : "upstream");
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(("{\"input_tokens\":" + counted.inputTokens() + "}").getBytes(StandardCharsets.UTF_8));
                    log(
                            command,
                            Optional.of(counted.servedBy().value()),
                            counted.estimated() ? "count estimated" : "count",
                            200,
                            journal);
                }
                case TokensResult.Refused refused -> refuse(res, command, refused.error(), journal);
            }
        } finally {
            journal.done();
        }
    }

    private void post(ServerRequest req, ServerResponse res) throws IOException {
        InMemoryRequestJournal journal = InMemoryRequestJournal.of(req);
        Optional<MessagesCommand> parsed = command(req, res, false, journal);
        if (parsed.isEmpty()) {
            return;
        }
        MessagesCommand command = parsed.get();
        MessagesRequest request = command.request();
        Optional<GatewayError> refusal = access.admit(journal, request.model());
        if (refusal.isPresent()) {
            refuse(res, command, refusal.get(), journal);
            return;
        }
        try {
            if (request.stream()) {
                stream(command, res, journal);
            } else {
                answer(command, res, journal);
            }
        } finally {
            journal.done();
        }
    }

    private void answer(MessagesCommand command, ServerResponse res, InMemoryRequestJournal journal) {
        switch (messages.handle(command)) {
            case MessagesResult.Answered answered -> {
                ReplyHeaders.served(res, answered.servedBy(), answered.attempts(), answered.headers());
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                // An answer that already has the shape Keyline writes goes as the upstream's bytes.
                byte[] body = switch (answered.answer()) {
                    case UpstreamAnswer.Verbatim verbatim -> verbatim.bytes();
                    case UpstreamAnswer.Decoded decoded -> responses.write(decoded.message());
                };
                access.account(
                        journal,
                        command.request().model(),
                        Optional.of(answered.servedBy().value()),
                        200);
                res.send(body);
                log(command, Optional.of(answered.servedBy().value()), "json", 200, journal);
            }
            case MessagesResult.Refused refused -> refuse(res, command, refused.error(), journal);
        }
    }

    private void stream(MessagesCommand command, ServerResponse res, InMemoryRequestJournal journal) {
        switch (messages.stream(command)) {
            case MessagesStreamResult.Streaming streaming -> {
                StreamOutcome outcome = StreamReply.send(
                        res,
                        streaming,
                        journal,
                        access.telemetry(),
                        (events, out) -> SseRelay.relay(
                                events,
                                out,
                                eventCodec,
                                failure -> errors.of(new GatewayError.UpstreamFailed(streaming.servedBy(), failure))
                                        .body()));
                log(command, Optional.of(streaming.servedBy().value()), outcome.logMode(), 200, journal);
            }
            case MessagesStreamResult.Refused refused -> refuse(res, command, refused.error(), journal);
        }
    }

    private void refuse(
            ServerResponse res, MessagesCommand command, GatewayError error, InMemoryRequestJournal journal) {
        ErrorReplies.Reply reply = errors.of(error);
        Optional<String> deployment = ReplyHeaders.refused(res, error, reply);
        res.status(Status.create(reply.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(reply.body());
        log(command, deployment, command.request().stream() ? "sse" : "json", reply.status(), journal);
    }

    private static ProtocolHeaders protocolHeaders(ServerRequest req) {
        Optional<String> version =
                req.headers().first(ANTHROPIC_VERSION).map(String::strip).filter(v -> !v.isEmpty());
        List<String> betas = new ArrayList<>();
        for (String value : req.headers().all(ANTHROPIC_BETA, List::of)) {
            for (String flag : value.split(",")) {
                if (!flag.isBlank()) {
                    betas.add(flag.strip());
                }
            }
        }
        return new ProtocolHeaders(version, betas);
    }

    private void log(
            MessagesCommand command,
            Optional<String> deployment,
            String mode,
            int status,
            InMemoryRequestJournal journal) {
        access.line(journal, command.request().model(), deployment, mode, status);
    }
}
