package dev.keyline.adapters.frontdoors.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events that arrived together leave in one write; an event with nothing behind it leaves at once. */
class SseRelayTest {

    @Test
    void eachFlushCarriesWhatHadArrived_andNoEventWaitsForALaterOne() {
        // Three events came in one read, then one alone, then two more together.
        Burst events = new Burst(List.of(3, 1, 2));
        Flushes out = new Flushes();

        assertEquals(
                StreamOutcome.COMPLETED,
                SseRelay.relay(events, out, new JacksonMessageEventCodec(new ObjectMapper()), failure -> new byte[0]));

        assertEquals(List.of("e1 e2 e3", "e4", "e5 e6"), out.flushed);
    }

    /** Events in bursts: ready() is true while the current burst has more. */
    private static final class Burst implements EventStream {
        private final Deque<Integer> bursts;
        private int leftInBurst;
        private int number;

        Burst(List<Integer> bursts) {
            this.bursts = new ArrayDeque<>(bursts);
        }

        @Override
        public StreamStep next() {
            if (leftInBurst == 0) {
                if (bursts.isEmpty()) {
                    return new StreamStep.End();
                }
                leftInBurst = bursts.poll();
            }
            leftInBurst--;
            number++;
            return new StreamStep.Event(new StreamEvent("e" + number, "{}"));
        }

        @Override
        public boolean ready() {
            return leftInBurst > 0;
        }

        @Override
        public void close() {}
    }

    /** Records the event names each flush carried. */
    private static final class Flushes extends ByteArrayOutputStream {
        final List<String> flushed = new ArrayList<>();

        @Override
        public void flush() {
            List<String> names = new ArrayList<>();
            for (String line : toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("event: ")) {
                    names.add(line.substring(7));
                }
            }
            if (!names.isEmpty()) {
                flushed.add(String.join(" ", names));
            }
            reset();
        }
    }
}
