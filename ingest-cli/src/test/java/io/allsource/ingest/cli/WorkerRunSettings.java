package io.allsource.ingest.cli;

import io.allsource.ingest.topics.IngestTopics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of an {@code ingest run} on the test servers, by key as the flags without {@code --}: the endpoints,
 * the test's own topics and group, the health endpoint on 127.0.0.1 and a short shutdown. Callers add their own.
 */
final class WorkerRunSettings {

    private WorkerRunSettings() {
    }

    static Map<String, String> of(String bootstrapServers, String dbUrl, String registryUrl, IngestTopics topics,
            String workerId, String groupId, int metricsPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap-servers", bootstrapServers);
        settings.put("db-url", dbUrl);
        settings.put("registry-url", registryUrl);
        settings.put("auto-register-schemas", "true");
        settings.put("group-id", groupId);
        settings.put("worker-id", workerId);
        settings.put("topic-commands", topics.commands());
        settings.put("topic-results", topics.results());
        settings.put("topic-events", topics.events());
        settings.put("topic-dead-letters", topics.deadLetters());
        settings.put("metrics-host", "127.0.0.1");
        settings.put("metrics-port", Integer.toString(metricsPort));
        settings.put("shutdown-timeout-ms", "5000");
        return settings;
    }
}
