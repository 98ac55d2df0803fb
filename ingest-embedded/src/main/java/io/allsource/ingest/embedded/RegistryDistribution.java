package io.allsource.ingest.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A schema registry build on disk that serves the Confluent REST API at {@code /apis/ccompat/v7}: Apicurio Registry,
 * whose runnable builds Maven Central serves as {@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all}.
 *
 * @param description     says what it is, for logs: version and storage
 * @param launchJar       the jar to run with {@code java -jar}
 * @param minimumJava     the oldest Java feature version it runs on
 * @param properties      system properties that configure it (storage, for one)
 * @param durable         whether schemas and their ids survive a restart
 */
public record RegistryDistribution(String description, Path launchJar, int minimumJava, Map<String, String> properties,
        boolean durable) {

    public RegistryDistribution {
        Objects.requireNonNull(launchJar, "launchJar");
        properties = Map.copyOf(properties);
    }

    /**
     * Apicurio Registry 2.x (a Quarkus runner jar, Java 11+) keeping schemas in memory: ids do not survive a restart.
     *
     * @param home the folder the {@code tar.gz:all} build was unpacked into
     */
    public static RegistryDistribution apicurio2InMemory(Path home) {
        Path runner = findRunner(home, "apicurio-registry-app-", "-runner.jar");
        return new RegistryDistribution("Apicurio Registry " + versionOf(runner) + " (in memory)", runner, 11,
                Map.of(), false);
    }

    /**
     * Apicurio Registry 3.x (a Quarkus {@code quarkus-run.jar} layout, Java 21+) keeping schemas in PostgreSQL, so that
     * ids survive restarts.
     *
     * @param home the folder the {@code tar.gz:all} build was unpacked into
     */
    public static RegistryDistribution apicurio3InPostgres(Path home, String jdbcUrl, String username, String password) {
        Path runner = find(home, "quarkus-run.jar");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("apicurio.storage.kind", "sql");
        properties.put("apicurio.storage.sql.kind", "postgresql");
        properties.put("apicurio.datasource.url", jdbcUrl);
        properties.put("apicurio.datasource.username", username);
        properties.put("apicurio.datasource.password", password);
        return new RegistryDistribution("Apicurio Registry 3 (PostgreSQL storage)", runner, 21, properties, true);
    }

    private static Path findRunner(Path home, String prefix, String suffix) {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(suffix);
            }).findFirst().orElseThrow(() -> new IllegalStateException(
                    "No " + prefix + "*" + suffix + " in " + home + ": is the registry build unpacked there?"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the registry build folder " + home, e);
        }
    }

    private static Path find(Path home, String fileName) {
        try (Stream<Path> files = Files.walk(home, 3)) {
            return files.filter(file -> file.getFileName().toString().equals(fileName)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "No " + fileName + " under " + home + ": is the registry build unpacked there?"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot search the registry build folder " + home, e);
        }
    }

    private static String versionOf(Path runner) {
        String name = runner.getFileName().toString();
        return name.substring("apicurio-registry-app-".length(), name.length() - "-runner.jar".length());
    }
}
