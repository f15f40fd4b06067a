package dev.keyline.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessageStreamWriter;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.message.StreamEvent;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@link SimulatedModel} behind {@code POST /v1/messages} on loopback, checking its own key like a real
 * endpoint and answering streams as server-sent events.
 */
public final class SimulatedModelServer implements AutoCloseable {

    private final WebServer server;

    private SimulatedModelServer(WebServer server) {
        this.server = server;
    }

    /**
     * @param key the key callers must send as {@code x-api-key}
     * @return a running simulator on a free loopback port
     */
    public static SimulatedModelServer start(Credentials key) {
        ObjectMapper mapper = new ObjectMapper();
        SimulatedModel model = new SimulatedModel(mapper);
        MessageResponseCodec codec = new MessageResponseCodec(mapper);
        MessageStreamWriter streams = new MessageStreamWriter(mapper);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.post("/v1/messages", (req, res) -> {
                    if (!key.matches(
                            req.headers().first(HeaderNames.create("x-api-key")).orElse(null))) {
                        res.status(Status.UNAUTHORIZED_401)
                                .header(HeaderNames.CONTENT_TYPE, "application/json")
                                .send("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                                        + "\"message\":\"invalid x-api-key\"}}");
                        return;
                    }
                    JsonNode request;
                    try (InputStream in = req.content().inputStream()) {
                        request = mapper.readTree(in);
                    }
                    SimulatedModel.Reply reply = model.answer(request);
                    byte[] body = mapper.writeValueAsBytes(reply.body());
                    if (reply.status() != 200 || !request.path("stream").asBoolean(false)) {
                        res.status(Status.create(reply.status()))
                                .header(HeaderNames.CONTENT_TYPE, "application/json")
                                .send(body);
                        return;
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                    try (OutputStream out = res.outputStream()) {
                        for (StreamEvent event : streams.events(codec.read(body))) {
                            out.write(("event: " + event.type() + "\ndata: " + event.data() + "\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // The caller went away; a simulator has nothing to clean up.
                    }
                }))
                .build()
                .start();
        return new SimulatedModelServer(server);
    }

    /** @return the {@code api_base} to configure */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
