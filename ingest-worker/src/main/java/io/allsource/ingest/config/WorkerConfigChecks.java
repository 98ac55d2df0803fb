package io.allsource.ingest.config;

import io.allsource.ingest.settings.CommonKeys;
import io.allsource.ingest.settings.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The rules of the worker's configuration that hold across keys, checked once every key has passed its own check.
 * Each problem names every key it involves.
 */
final class WorkerConfigChecks {

    /** The producer's {@code max.request.size} when {@code kafka.max.request.size} does not set it. */
    static final int DEFAULT_MAX_REQUEST_SIZE = (Integer) ProducerConfig.configDef().defaultValues()
            .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    private WorkerConfigChecks() {
    }

    static List<String> problems(Configuration configuration) {
        List<String> problems = new ArrayList<>();
        checkConnectionsSuffice(configuration, problems);
        checkRecordsFitTheProducer(configuration, problems);
        return problems;
    }

    /**
     * Each batch transaction holds a connection; the consumer threads need some too (claims, publication markers), or
     * they would wait for the pool's connection timeout behind the batches.
     */
    private static void checkConnectionsSuffice(Configuration configuration, List<String> problems) {
        int apply = configuration.integer(ConfigKeys.APPLY_THREADS);
        int pool = configuration.integer(ConfigKeys.DB_POOL_SIZE);
        if (apply >= pool) {
            problems.add(ConfigKeys.APPLY_THREADS.spellings() + " is " + apply + " but must be less than "
                    + ConfigKeys.DB_POOL_SIZE.spellings() + " (" + pool + "): each batch transaction holds a connection"
                    + " and the consumers need at least one more");
        }
    }

    /**
     * An event record that passes the worker's limit must also pass the producer's, or it could never be published;
     * and an event record carries its payload and more, so the payload limit is below the record limit.
     */
    private static void checkRecordsFitTheProducer(Configuration configuration, List<String> problems) {
        int record = configuration.integer(ConfigKeys.MAX_EVENT_RECORD_BYTES);
        int payload = configuration.integer(ConfigKeys.MAX_PAYLOAD_BYTES);
        if (payload >= record) {
            problems.add(ConfigKeys.MAX_PAYLOAD_BYTES.spellings() + " is " + payload + " but must be less than "
                    + ConfigKeys.MAX_EVENT_RECORD_BYTES.spellings() + " (" + record + "): an event record carries its"
                    + " payload and more");
        }
        String property = CommonKeys.KAFKA_PREFIX + ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
        Optional<String> given = configuration.kafkaProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int requestSize;
        try {
            requestSize = given.map(value -> Integer.parseInt(value.trim())).orElse(DEFAULT_MAX_REQUEST_SIZE);
        } catch (NumberFormatException e) {
            problems.add(property + " must be a whole number of bytes, got '" + given.orElseThrow() + "'");
            return;
        }
        if (record >= requestSize) {
            problems.add(ConfigKeys.MAX_EVENT_RECORD_BYTES.spellings() + " is " + record + " but must be less than"
                    + " the producer's max.request.size (" + requestSize + (given.isPresent() ? ", set by " + property
                    : ", its default") + "): a larger event record could never be published");
        }
    }
}
