package io.allsource.ingest.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code docker-compose.yml} as parsed YAML, with the lookups its test needs: as compose reads it with no variable
 * set, each {@code ${NAME:-default}} replaced by its default.
 */
final class ComposeFile {

    /** A variable with a default, as the file writes image names, host ports and the registry's database URL. */
    static final Pattern DEFAULTED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)}");

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile read() {
        return read("docker-compose.yml");
    }

    static ComposeFile read(String file) {
        try {
            String defaults = DEFAULTED_VARIABLE.matcher(text(file)).replaceAll(match -> match.group(2));
            return new ComposeFile(new YAMLMapper().readTree(defaults));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not parse " + file, e);
        }
    }

    /** The file's text, variables unexpanded. */
    static String text(String file) {
        try {
            return Files.readString(RepositoryFiles.file(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** The top-level keys (compose 1.29 knows version, services, volumes, networks, configs and secrets). */
    Set<String> topLevelKeys() {
        Set<String> names = new TreeSet<>();
        root.fieldNames().forEachRemaining(names::add);
        return names;
    }

    Set<String> serviceNames() {
        Set<String> names = new TreeSet<>();
        root.required("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    Set<String> declaredVolumes() {
        Set<String> names = new TreeSet<>();
        root.path("volumes").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        return root.required("services").required(name);
    }

    /** The service's environment, given as a map (the form this file uses). */
    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        service(service).path("environment").properties()
                .forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        return environment;
    }

    /** The service's published ports, {@code host:container}. */
    List<String> ports(String service) {
        return texts(service(service).path("ports"));
    }

    /** The service's volume mounts, {@code source:target[:mode]}. */
    List<String> volumes(String service) {
        return texts(service(service).path("volumes"));
    }

    /** The source mounted at {@code target}, or null. */
    String mountedAt(String service, String target) {
        for (String volume : volumes(service)) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(target)) {
                return parts[0];
            }
        }
        return null;
    }

    /** The service's command as one string. */
    String command(String service) {
        return String.join(" ", texts(service(service).path("command")));
    }

    /** The service's healthcheck test as one string; empty without one. */
    String healthcheck(String service) {
        return String.join(" ", texts(service(service).path("healthcheck").path("test")));
    }

    /** The condition each dependency of the service must reach: {@code service_healthy}, ... */
    Map<String, String> dependsOn(String service) {
        Map<String, String> conditions = new LinkedHashMap<>();
        service(service).path("depends_on").properties()
                .forEach(entry -> conditions.put(entry.getKey(), entry.getValue().path("condition").asText()));
        return conditions;
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.textValue());
        }
        node.elements().forEachRemaining(element -> texts.add(element.asText()));
        return texts;
    }
}
