package io.allsource.ingest.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitionFunctionTest {

    @Test
    void agreesWithTheKafkaProducersDefaultPartitionerForKeyedRecords() {
        List<String> keys = IntStream.range(0, 2_000).mapToObj(i -> "stream-" + i).toList();

        for (String key : keys) {
            int producerPartition = BuiltInPartitioner.partitionForKey(
                    key.getBytes(StandardCharsets.UTF_8), PartitionFunction.PARTITION_COUNT);
            assertThat(PartitionFunction.partitionOf(key)).as(key).isEqualTo(producerPartition);
        }
    }

    @Test
    void hashesTheUtf8BytesOfTheKey() {
        String key = "ström-é-流";

        assertThat(PartitionFunction.partitionOf(key)).isEqualTo(BuiltInPartitioner.partitionForKey(
                key.getBytes(StandardCharsets.UTF_8), PartitionFunction.PARTITION_COUNT));
    }

    @Test
    void spreadsKeysOverEveryPartition() {
        long used = IntStream.range(0, 1_000).map(i -> PartitionFunction.partitionOf("k" + i)).distinct().count();

        assertThat(used).isEqualTo(PartitionFunction.PARTITION_COUNT);
    }
}
