package dev.keyline.conformance.kit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Runs a gateway image with Testcontainers: the kit's configuration copied to {@code /kit/config.yaml}, the kit's
 * environment, host networking (so the gateway reaches the kit's loopback fakes), and the command template with
 * {@code {config}} and {@code {port}} filled in. Images are never pulled: a missing image fails at once. Set
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} where the Ryuk image cannot be pulled.
 */
public final class ContainerLauncher implements GatewayLauncher {

    static final String CONFIG_IN_CONTAINER = "/kit/config.yaml";

    private final String image;
    private final String template;

    /**
     * @param image    a local image, e.g. {@code ghcr.io/berriai/litellm:main-stable}
     * @param template the command inside the container, e.g. {@code --config {config} --port {port}}
     */
    public ContainerLauncher(String image, String template) {
        this.image = image;
        this.template = template;
    }

    @Override
    public RunningGateway launch(Path config, Map<String, String> environment) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String command = template.replace("{config}", CONFIG_IN_CONTAINER).replace("{port}", Integer.toString(port));
        @SuppressWarnings("resource")
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withNetworkMode("host")
                .withCopyFileToContainer(MountableFile.forHostPath(config), CONFIG_IN_CONTAINER)
                .withEnv(environment)
                .withCommand(command.split("\\s+"));
        container.start();
        String baseUrl = "http://127.0.0.1:" + port;
        try {
            CommandLauncher.awaitHttp(baseUrl, null);
        } catch (RuntimeException | IOException e) {
            container.stop();
            throw e;
        }
        return new RunningGateway(baseUrl, true, container::stop);
    }
}
