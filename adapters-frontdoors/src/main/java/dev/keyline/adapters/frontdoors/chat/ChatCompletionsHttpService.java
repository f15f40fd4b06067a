package dev.keyline.adapters.frontdoors.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.frontdoors.server.AccessLog;
import dev.keyline.adapters.frontdoors.server.ErrorReplies;
import dev.keyline.adapters.frontdoors.server.InMemoryRequestJournal;
import dev.keyline.adapters.frontdoors.server.ReplyHeaders;
import dev.keyline.adapters.frontdoors.server.StreamOutcome;
import dev.keyline.adapters.frontdoors.server.StreamReply;
import dev.keyline.adapters.wire.BodyBytes;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.WireFormatException;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions} (and {@code /chat/completions}): an OpenAI chat request, read as a Messages
 * request and answered by the same use case as {@code /v1/messages}, so it is routed, retried, fallen back and kept
 * on its deployment the same way, to a deployment of either protocol. Answers, streams and errors are OpenAI's shape.
 */
public final class ChatCompletionsHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(ChatCompletionsHttpService.class.getName());

    private final HandleMessagesUseCase messages;
    private final ErrorReplies errors;
    private final ChatRequestReader requests;
    private final ChatAnswerWriter answers;
    private final ChatChunkRelay relay;
    private final OpenAiErrors openAiErrors;

    private final AccessLog access;

    public ChatCompletionsHttpService(
            HandleMessagesUseCase messages,
            ErrorReplies errors,
            ObjectMapper mapper,
            InstantSource clock,
            AccessLog.Sinks sinks) {
        this.access = new AccessLog(LOG, "POST /v1/chat/completions", "chat_completions", sinks);
        this.messages = Objects.requireNonNull(messages, "'messages' must not be null");
        this.errors = Objects.requireNonNull(errors, "'errors' must not be null");
        Objects.requireNonNull(mapper, "'mapper' must not be null");
        this.requests = new ChatRequestReader(mapper);
        this.answers = new ChatAnswerWriter(mapper, clock);
        this.relay = new ChatChunkRelay(mapper, new JacksonMessageEventCodec(mapper), answers);
        this.openAiErrors = new OpenAiErrors(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post);
    }

    private void post(ServerRequest req, ServerResponse res) {
        InMemoryRequestJournal journal = InMemoryRequestJournal.of(req);
        byte[] body;
        try {
            body = BodyBytes.readAll(req.content().inputStream(), req.headers().contentLength());
        } catch (IOException | RuntimeException e) {
            send(res, 400, openAiErrors.of("invalid_request_error", "the request body ended before its length"));
            return;
        }
        ChatRequestReader.Read read;
        try {
            read = requests.read(body);
        } catch (WireFormatException | IllegalArgumentException e) {
            send(res, 400, openAiErrors.of("invalid_request_error", e.getMessage()));
            access.line(journal, "-", Optional.empty(), "-", 400);
            return;
        }
        MessagesCommand command = new MessagesCommand(read.request(), ProtocolHeaders.defaults(), journal);
        String model = read.request().model();
        Optional<GatewayError> refusal = access.admit(journal, model);
        if (refusal.isPresent()) {
            refuse(res, command, refusal.get(), journal);
            return;
        }
        try {
            answer(command, read, res, journal);
        } finally {
            journal.done();
        }
    }

    private void answer(
            MessagesCommand command, ChatRequestReader.Read read, ServerResponse res, InMemoryRequestJournal journal) {
        String model = read.request().model();
        if (read.request().stream()) {
            stream(command, read.includeUsage(), res, journal);
            return;
        }
        switch (messages.handle(command)) {
            case MessagesResult.Answered answered -> {
                ReplyHeaders.served(res, answered.servedBy(), answered.attempts(), answered.headers());
                ObjectNode body = answers.write(answered.response(), model);
                access.account(journal, model, Optional.of(answered.servedBy().value()), 200);
                send(res, 200, body);
                log(command, Optional.of(answered.servedBy().value()), "json", 200, journal);
            }
            case MessagesResult.Refused refused -> refuse(res, command, refused.error(), journal);
        }
    }

    private void stream(
            MessagesCommand command, boolean includeUsage, ServerResponse res, InMemoryRequestJournal journal) {
        String model = command.request().model();
        switch (messages.stream(command)) {
            case MessagesStreamResult.Streaming streaming -> {
                StreamOutcome outcome = StreamReply.send(
                        res,
                        streaming,
                        journal,
                        access.telemetry(),
                        (events, out) -> relay.relay(
                                events,
                                out,
                                model,
                                includeUsage,
                                failure -> openAiErrors.of(
                                        errors.of(new GatewayError.UpstreamFailed(streaming.servedBy(), failure)))));
                log(command, Optional.of(streaming.servedBy().value()), outcome.logMode(), 200, journal);
            }
            case MessagesStreamResult.Refused refused -> refuse(res, command, refused.error(), journal);
        }
    }

    private void refuse(
            ServerResponse res, MessagesCommand command, GatewayError error, InMemoryRequestJournal journal) {
        ErrorReplies.Reply reply = errors.of(error);
        Optional<String> deployment = ReplyHeaders.refused(res, error, reply);
        send(res, reply.status(), openAiErrors.of(reply));
        log(command, deployment, command.request().stream() ? "sse" : "json", reply.status(), journal);
    }

    private void send(ServerResponse res, int status, ObjectNode body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
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
