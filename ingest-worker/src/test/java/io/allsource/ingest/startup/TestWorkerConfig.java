package io.allsource.ingest.startup;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The configuration of a worker on the test servers, its topics and group named after a prefix of its own. */
public final class TestWorkerConfig {

    private TestWorkerConfig() {
    }

    /** No metrics endpoint; {@code extra} wins over everything else. */
    public static IngestConfig of(String bootstrapServers, String dbUrl, String registryUrl, String prefix,
            Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        flags.put(ConfigKeys.DB_URL.name(), dbUrl);
        flags.put(ConfigKeys.REGISTRY_URL.name(), registryUrl);
        flags.put(ConfigKeys.GROUP_ID.name(), prefix + "group");
        flags.put(ConfigKeys.METRICS_PORT.name(), "0");
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), prefix + "ingest.commands");
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), prefix + "ingest.results");
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), prefix + "ingest.events");
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), prefix + "ingest.commands.dlq");
        flags.putAll(extra);
        return IngestConfig.load(flags, Map.of(), null, List.of());
    }
}
