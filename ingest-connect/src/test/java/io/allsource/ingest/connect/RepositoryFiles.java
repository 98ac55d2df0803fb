package io.allsource.ingest.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository's own deployment files (the connector configs under {@code connect/}, {@code docker-compose.yml},
 * the {@code Dockerfile}), which the tests read as shipped.
 */
final class RepositoryFiles {

    /** The repository's root folder; the build sets it, and it defaults to this module's parent. */
    static final String ROOT_PROPERTY = "ingest.repository.root";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RepositoryFiles() {
    }

    static Path root() {
        return Path.of(System.getProperty(ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
    }

    static Path file(String relativePath) {
        Path file = root().resolve(relativePath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("No file " + file + " in the repository");
        }
        return file;
    }

    /** A connector definition under {@code connect/}: {@code {"name": ..., "config": {...}}} as the REST API takes. */
    static ConnectorDefinition connector(String fileName) {
        try {
            JsonNode root = JSON.readTree(file("connect/" + fileName).toFile());
            Map<String, String> config = new LinkedHashMap<>();
            root.required("config").properties().forEach(entry -> {
                if (!entry.getValue().isTextual()) {
                    throw new IllegalStateException(fileName + ": the value of " + entry.getKey()
                            + " must be a JSON string, as Connect's REST API expects");
                }
                config.put(entry.getKey(), entry.getValue().textValue());
            });
            return new ConnectorDefinition(root.required("name").textValue(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read connect/" + fileName, e);
        }
    }

    /** A connector's name and configuration. */
    record ConnectorDefinition(String name, Map<String, String> config) {

        /** The same configuration with {@code overrides} applied, for a test's topic, file and registry. */
        Map<String, String> configWith(Map<String, String> overrides) {
            Map<String, String> changed = new LinkedHashMap<>(config);
            changed.putAll(overrides);
            return changed;
        }
    }
}
