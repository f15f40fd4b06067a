package dev.keyline.conformance.kit;

import java.nio.file.Path;
import java.util.Map;

/**
 * For a gateway someone else runs: the kit writes its configuration, says where, and waits for the URL to answer.
 * The kit cannot set that gateway's environment, so the decoy property is judged on what it can see only.
 */
public final class UrlLauncher implements GatewayLauncher {

    private final String baseUrl;
    private final System.Logger log = System.getLogger(UrlLauncher.class.getName());

    public UrlLauncher(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    @Override
    public RunningGateway launch(Path config, Map<String, String> environment) throws Exception {
        log.log(
                System.Logger.Level.INFO,
                "configure the gateway at " + baseUrl + " with " + config + "; the kit waits for it to answer");
        CommandLauncher.awaitHttp(baseUrl, null);
        // The kit did not start this gateway, so closing leaves it running.
        return new RunningGateway(baseUrl, false, () -> {});
    }
}
