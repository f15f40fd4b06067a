package dev.keyline.ports.testing;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.in.MessagesCommand;
import java.util.List;
import java.util.Optional;

/** Requests and answers for tests of the services and the adapters. */
public final class TestMessages {

    private TestMessages() {}

    public static MessagesCommand command(String model, boolean stream) {
        return new MessagesCommand(
                new MessagesRequest(
                        model,
                        16,
                        List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hi")))),
                        List.of(),
                        Optional.empty(),
                        stream,
                        RawJson.empty()),
                ProtocolHeaders.defaults());
    }

    /** @return the request the user's Kimi deployment is asked: one "hello" */
    public static MessagesRequest hello(boolean stream) {
        return new MessagesRequest(
                "kimi-k2.5-tencent-claude",
                64,
                List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hello")))),
                List.of(),
                Optional.empty(),
                stream,
                RawJson.empty());
    }

    public static MessageResponse answer(String text) {
        return new MessageResponse(
                "msg_1",
                "m",
                List.of(ContentBlock.Text.of(text)),
                Optional.of("end_turn"),
                Optional.empty(),
                Usage.zero(),
                RawJson.empty());
    }
}
