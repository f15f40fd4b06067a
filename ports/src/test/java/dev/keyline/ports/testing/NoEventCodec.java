package dev.keyline.ports.testing;

import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.MessageEventCodec;

/** For service tests that never stream a search loop: any use is a test bug. */
public final class NoEventCodec implements MessageEventCodec {

    public static final NoEventCodec INSTANCE = new NoEventCodec();

    private NoEventCodec() {}

    @Override
    public MessageEvent read(StreamEvent event) {
        throw new AssertionError("this test does not stream a search loop");
    }

    @Override
    public StreamEvent write(MessageEvent event) {
        throw new AssertionError("this test does not stream a search loop");
    }

    @Override
    public RawJson parseObject(String json) {
        throw new AssertionError("this test does not stream a search loop");
    }

    @Override
    public String toJson(RawJson object) {
        throw new AssertionError("this test does not stream a search loop");
    }
}
