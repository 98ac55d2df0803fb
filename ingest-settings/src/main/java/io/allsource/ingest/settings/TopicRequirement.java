package io.allsource.ingest.settings;

import io.allsource.ingest.partition.PartitionFunction;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A topic a component needs at start, for {@link TopicCheck}.
 *
 * @param name                the topic
 * @param setting             the key that names it, for messages
 * @param requiredPartitions  the partition count it must have, or empty for any
 * @param createdPartitions   the partition count it is created with when missing and creation is allowed, or empty
 *                            when this component never creates it
 */
public record TopicRequirement(String name, ConfigKey setting, OptionalInt requiredPartitions,
        OptionalInt createdPartitions) {

    public TopicRequirement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(requiredPartitions, "requiredPartitions");
        Objects.requireNonNull(createdPartitions, "createdPartitions");
    }

    /**
     * A topic of the pipeline's contract: exactly {@value PartitionFunction#PARTITION_COUNT} partitions, because stream
     * placement depends on the count; created with them when missing.
     */
    public static TopicRequirement pipeline(String name, ConfigKey setting) {
        return new TopicRequirement(name, setting, OptionalInt.of(PartitionFunction.PARTITION_COUNT),
                OptionalInt.of(PartitionFunction.PARTITION_COUNT));
    }

    /** A topic another component creates: it must exist, with any partition count. */
    public static TopicRequirement existing(String name, ConfigKey setting) {
        return new TopicRequirement(name, setting, OptionalInt.empty(), OptionalInt.empty());
    }

    /** A topic of this component alone: any partition count; created with {@code partitions} when missing. */
    public static TopicRequirement own(String name, ConfigKey setting, int partitions) {
        return new TopicRequirement(name, setting, OptionalInt.empty(), OptionalInt.of(partitions));
    }
}
