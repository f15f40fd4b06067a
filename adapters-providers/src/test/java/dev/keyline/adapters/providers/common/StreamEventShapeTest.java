package dev.keyline.adapters.providers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamEventShapeTest {

    private final StreamEventShape shape = new StreamEventShape(new JsonFactory());

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "message_start|{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}",
                "content_block_start|{\"index\":0,\"type\":\"content_block_start\",\"content_block\":{\"type\":\"text\"}}",
                "content_block_delta|{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"}\"}}",
                "content_block_stop|{\"type\":\"content_block_stop\",\"index\":0}",
                "message_delta|{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{}}",
                "message_stop|{\"type\":\"message_stop\"}",
                "ping|{\"type\": \"ping\"}",
                "error|{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                "some_future_event|{\"type\":\"some_future_event\",\"anything\":[1,2]}"
            })
    void wellFormedEvents_pass_withTheirType(String name, String data) {
        assertEquals(new StreamEventShape.Checked.Valid(name), shape.check(name, data));
        assertEquals(new StreamEventShape.Checked.Valid(name), shape.check(null, data), "typed by the data alone");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "content_block_delta|{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de",
                "content_block_delta|not json at all",
                "content_block_delta|[1,2]",
                "content_block_delta|{\"type\":\"content_block_delta\",\"delta\":{}}",
                "content_block_delta|{\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{}}",
                "content_block_delta|{\"type\":\"content_block_delta\",\"index\":0,\"delta\":\"text\"}",
                "content_block_delta|{\"type\":\"message_stop\"}",
                "message_start|{\"type\":\"message_start\"}",
                "message_delta|{\"type\":\"message_delta\",\"delta\":null}",
                "error|{\"type\":\"error\",\"message\":\"flat\"}",
                "message_stop|{\"type\":\"message_stop\"} {\"type\":\"message_stop\"}",
                "message_stop|{}"
            })
    void eventsAClientCouldNotUse_areRefused(String name, String data) {
        assertInstanceOf(StreamEventShape.Checked.Invalid.class, shape.check(name, data));
    }
}
