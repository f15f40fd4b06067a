package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The container launcher with a locally built image of the gateway. Skipped where no Docker daemon runs (the
 * development machines of this project have only the client) or the image was not built: see
 * docs/conformance.md for building {@code keyline:local}.
 */
class ContainerLauncherTest {

    @Test
    void aLocalImage_isLaunchedWithTheKitsConfigAndEnvironment(@TempDir Path dir) throws Exception {
        assumeTrue(dockerAvailable(), "no Docker daemon is reachable on this machine");
        String image = System.getenv().getOrDefault("KIT_CONTAINER_IMAGE", "keyline:local");
        Path config = dir.resolve("config.yaml");
        try (FakeUpstreams fakes = new FakeUpstreams(KeylineConformanceTest.SEED, true, true)) {
            Files.writeString(config, fakes.keylineConfig());
            try (GatewayLauncher.RunningGateway gateway = new ContainerLauncher(
                            image, "serve --config {config} --port {port}")
                    .launch(config, fakes.environment())) {
                PropertyJudge.Verdict verdict = new PropertyJudge(new GatewayClient(gateway.baseUrl(), fakes), fakes)
                        .judge(KitProperty.HOP_CREDENTIALS, 1L, 3);
                assertEquals(true, verdict.passed(), verdict.counterexample());
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
