package io.allsource.ingest.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLaunchTest {

    private static final RegistryLaunch.Storage STORAGE =
            new RegistryLaunch.Storage("jdbc:postgresql://127.0.0.1:5432/ingest", "ingest", "secret");
    private static final Path JAVA_25 = Path.of("/opt/jdk-25/bin/java");
    private static final Path JAVA_17 = Path.of("/opt/jdk-17/bin/java");

    @Test
    void runsTheDurableRegistryInPostgresWhenJava21IsAvailable(@TempDir Path folder) throws Exception {
        Path durable = distributions(folder).resolve("v3");

        RegistryLaunch launch = RegistryLaunch.forEmbeddedMode(durable, folder.resolve("v2"), STORAGE,
                feature -> Optional.of(feature >= 21 ? JAVA_25 : JAVA_17));

        assertThat(launch.java()).isEqualTo(JAVA_25);
        assertThat(launch.distribution().durable()).isTrue();
        assertThat(launch.distribution().launchJar().getFileName()).hasToString("quarkus-run.jar");
        assertThat(launch.distribution().properties())
                .containsEntry("apicurio.storage.kind", "sql")
                .containsEntry("apicurio.storage.sql.kind", "postgresql")
                .containsEntry("apicurio.datasource.url", STORAGE.jdbcUrl());
    }

    @Test
    void fallsBackToTheInMemoryRegistryWithoutJava21(@TempDir Path folder) throws Exception {
        distributions(folder);

        RegistryLaunch launch = RegistryLaunch.forEmbeddedMode(folder.resolve("v3"), folder.resolve("v2"), STORAGE,
                feature -> feature <= 17 ? Optional.of(JAVA_17) : Optional.empty());

        assertThat(launch.java()).isEqualTo(JAVA_17);
        assertThat(launch.distribution().durable()).isFalse();
        assertThat(launch.distribution().description()).contains("2.6.13.Final", "in memory");
    }

    @Test
    void fallsBackToTheInMemoryRegistryWhenTheDurableBuildIsAbsent(@TempDir Path folder) throws Exception {
        distributions(folder);

        RegistryLaunch launch = RegistryLaunch.forEmbeddedMode(null, folder.resolve("v2"), STORAGE,
                feature -> Optional.of(JAVA_25));

        assertThat(launch.distribution().durable()).isFalse();
    }

    private static Path distributions(Path folder) throws Exception {
        Path v3 = Files.createDirectories(folder.resolve("v3/apicurio-registry-app"));
        Files.writeString(v3.resolve("quarkus-run.jar"), "");
        Path v2 = Files.createDirectories(folder.resolve("v2"));
        Files.writeString(v2.resolve("apicurio-registry-app-2.6.13.Final-runner.jar"), "");
        return folder;
    }
}
