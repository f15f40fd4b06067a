package dev.keyline.adapters.providers.toy;

import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderClientContract;
import java.util.List;
import java.util.Map;

/** docs/extending.md, step 3: the toy adapter passes the contract every provider adapter passes. */
class ToyProviderClientTest extends ProviderClientContract {

    private final ToyProviderClient adapter = new ToyProviderClient();

    @Override
    protected ProviderClient adapter() {
        return adapter;
    }

    @Override
    protected String provider() {
        return "toy";
    }

    @Override
    protected String protocolPath() {
        return ToyProviderClient.PATH;
    }

    @Override
    protected String answer(String text) {
        return "{\"completion\":\"" + text + "\"}";
    }

    @Override
    protected List<String> streamFrames(String text) {
        int half = text.length() / 2;
        return List.of(
                "data: {\"delta\":\"" + text.substring(0, half) + "\"}\n\n",
                "data: {\"delta\":\"" + text.substring(half) + "\"}\n\n",
                "data: [DONE]\n\n");
    }

    @Override
    protected Map<String, String> protocolHeaders(ProtocolHeaders client) {
        return Map.of();
    }
}
