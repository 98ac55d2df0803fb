package io.allsource.ingest.config;

import io.allsource.ingest.settings.CommonKeys;
import io.allsource.ingest.settings.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The rules of the worker's configuration that hold across keys, checked once every key has passed its own check.
 * Each problem names every setting it involves.
 */
final class WorkerConfigChecks {

    /** The producer's {@code max.request.size} when {@code kafka.max.request.size} does not set it. */
    static final int DEFAULT_MAX_REQUEST_SIZE = (Integer) ProducerConfig.configDef().defaultValues()
            .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    private static final String MAX_REQUEST_SIZE = CommonKeys.KAFKA_PREFIX + ProducerConfig.MAX_REQUEST_SIZE_CONFIG;

    private WorkerConfigChecks() {
    }

    static List<String> problems(Configuration configuration) {
        List<String> problems = new ArrayList<>();
        int record = configuration.integer(ConfigKeys.MAX_EVENT_RECORD_BYTES);
        requireLess(problems, ConfigKeys.APPLY_THREADS.spellings(), configuration.integer(ConfigKeys.APPLY_THREADS),
                ConfigKeys.DB_POOL_SIZE.spellings(), configuration.integer(ConfigKeys.DB_POOL_SIZE),
                "each batch transaction holds a connection and the consumers need at least one more");
        requireLess(problems, ConfigKeys.MAX_PAYLOAD_BYTES.spellings(),
                configuration.integer(ConfigKeys.MAX_PAYLOAD_BYTES), ConfigKeys.MAX_EVENT_RECORD_BYTES.spellings(),
                record, "an event record carries its payload and more");
        Optional<String> given = configuration.kafkaProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        try {
            int requestSize = given.map(value -> Integer.parseInt(value.trim())).orElse(DEFAULT_MAX_REQUEST_SIZE);
            requireLess(problems, ConfigKeys.MAX_EVENT_RECORD_BYTES.spellings(), record, "the producer's "
                    + (given.isPresent() ? MAX_REQUEST_SIZE : "default max.request.size"), requestSize,
                    "a larger event record could never be published");
        } catch (NumberFormatException e) {
            problems.add(MAX_REQUEST_SIZE + " must be a whole number of bytes, got '" + given.orElseThrow() + "'");
        }
        return problems;
    }

    private static void requireLess(List<String> problems, String setting, int value, String limitSetting,
            int limit, String why) {
        if (value >= limit) {
            problems.add(setting + " is " + value + " but must be less than " + limitSetting + " (" + limit + "): "
                    + why);
        }
    }
}
