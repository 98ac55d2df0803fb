package io.allsource.ingest.partition;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * The one partition function of the contract: {@code toPositive(murmur2(utf8(partitionKey))) % 32}.
 *
 * <p>It is the function of the Java Kafka producer's default partitioner for a keyed record, so a producer that keys
 * each command by its partition key lands on the right partition without custom code (librdkafka clients:
 * {@code partitioner=murmur2_random}). Stateless and thread-safe.
 */
public final class PartitionFunction {

    /** The partition count of every topic of a deployment; fixed, because stream placement depends on it. */
    public static final int PARTITION_COUNT = 32;

    private PartitionFunction() {
    }

    /** The partition of {@code partitionKey}, in {@code [0, 32)}. */
    public static int partitionOf(String partitionKey) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        return Utils.toPositive(Utils.murmur2(partitionKey.getBytes(StandardCharsets.UTF_8))) % PARTITION_COUNT;
    }
}
