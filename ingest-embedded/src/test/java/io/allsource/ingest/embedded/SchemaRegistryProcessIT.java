package io.allsource.ingest.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryProcessIT {

    private static final Path HOME = Path.of(System.getProperty("ingest.test.registry.home", "target/schema-registry"));

    @Test
    void servesTheConfluentApiOnLoopbackAndStopsOnClose(@TempDir Path logs) throws Exception {
        int port = FreePorts.find();
        SchemaRegistryProcess registry = SchemaRegistryProcess.start(RegistryDistribution.apicurio2InMemory(HOME),
                JavaRuntimes.current(), port, logs.resolve("registry.log"), Duration.ofSeconds(60));
        try (registry) {
            assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + port + "/apis/ccompat/v7");
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body()).isEqualTo("[]");
        }
        assertThat(registry.isAlive()).isFalse();
        registry.close();
    }

    @Test
    void reportsTheLogWhenTheRegistryCannotStart(@TempDir Path folder) throws Exception {
        Path broken = folder.resolve("apicurio-registry-app-0.0-runner.jar");
        Files.writeString(broken, "not a jar");

        assertThatThrownBy(() -> SchemaRegistryProcess.start(RegistryDistribution.apicurio2InMemory(folder),
                JavaRuntimes.current(), FreePorts.find(), folder.resolve("registry.log"), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status")
                .hasMessageContaining("registry.log");
    }

    @Test
    void namesTheMissingBuildFolderContent(@TempDir Path empty) {
        assertThatThrownBy(() -> RegistryDistribution.apicurio2InMemory(empty))
                .hasMessageContaining("apicurio-registry-app-*-runner.jar")
                .hasMessageContaining(empty.toString());
    }
}
