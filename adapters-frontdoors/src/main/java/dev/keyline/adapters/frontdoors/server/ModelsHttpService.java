package dev.keyline.adapters.frontdoors.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.ports.in.ListModelsUseCase;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the model groups a client may ask for, in Anthropic's shape
 * (with its paging: {@code limit}, {@code after_id}, {@code before_id}), or in OpenAI's when the caller looks like
 * an OpenAI client (a Bearer key and no {@code anthropic-version}) or asks with {@code ?format=openai}.
 */
public final class ModelsHttpService implements HttpService {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 1000;

    private final ListModelsUseCase models;
    private final ObjectMapper mapper;

    public ModelsHttpService(ListModelsUseCase models, ObjectMapper mapper) {
        this.models = Objects.requireNonNull(models, "'models' must not be null");
        this.mapper = Objects.requireNonNull(mapper, "'mapper' must not be null");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list).get("/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<ListModelsUseCase.Model> all = models.models();
        if (openAiStyle(req)) {
            ObjectNode list = mapper.createObjectNode().put("object", "list");
            ArrayNode data = list.putArray("data");
            all.forEach(model -> data.add(openAi(model)));
            send(res, list);
            return;
        }
        int limit;
        try {
            limit = req.query().first("limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            AnthropicErrors.send(res, 400, "invalid_request_error", "limit must be an integer from 1 to " + MAX_LIMIT);
            return;
        }
        Optional<String> after = req.query().first("after_id").asOptional();
        Optional<String> before = req.query().first("before_id").asOptional();
        int from = after.map(id -> indexOf(all, id) + 1).orElse(0);
        int to = before.map(id -> indexOf(all, id)).orElse(all.size());
        if (to < 0) {
            to = all.size();
        }
        List<ListModelsUseCase.Model> window = all.subList(Math.min(from, to), to);
        List<ListModelsUseCase.Model> page = before.isPresent() && after.isEmpty()
                ? window.subList(Math.max(0, window.size() - limit), window.size())
                : window.subList(0, Math.min(limit, window.size()));
        ObjectNode body = mapper.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.forEach(model -> data.add(anthropic(model)));
        body.put("has_more", page.size() < window.size());
        if (page.isEmpty()) {
            body.putNull("first_id");
            body.putNull("last_id");
        } else {
            body.put("first_id", page.getFirst().id());
            body.put("last_id", page.getLast().id());
        }
        send(res, body);
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Optional<ListModelsUseCase.Model> model =
                models.models().stream().filter(m -> m.id().equals(id)).findFirst();
        if (model.isEmpty()) {
            AnthropicErrors.send(
                    res,
                    404,
                    "not_found_error",
                    "model '" + id + "' is not served by this gateway; see GET /v1/models");
            return;
        }
        send(res, openAiStyle(req) ? openAi(model.get()) : anthropic(model.get()));
    }

    private ObjectNode anthropic(ListModelsUseCase.Model model) {
        return mapper.createObjectNode()
                .put("type", "model")
                .put("id", model.id())
                .put("display_name", model.id())
                .put("created_at", model.createdAt().toString());
    }

    private ObjectNode openAi(ListModelsUseCase.Model model) {
        return mapper.createObjectNode()
                .put("id", model.id())
                .put("object", "model")
                .put("created", model.createdAt().getEpochSecond())
                .put("owned_by", "keyline");
    }

    private static boolean openAiStyle(ServerRequest req) {
        if (req.query().first("format").asOptional().map("openai"::equals).orElse(false)) {
            return true;
        }
        return req.headers().first(HeaderNames.AUTHORIZATION).isPresent()
                && req.headers().first(HeaderNames.create("anthropic-version")).isEmpty()
                && req.headers().first(HeaderNames.create("x-api-key")).isEmpty();
    }

    private static int indexOf(List<ListModelsUseCase.Model> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private void send(ServerResponse res, ObjectNode body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString());
    }
}
