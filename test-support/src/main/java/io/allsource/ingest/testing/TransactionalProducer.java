package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A producer using Kafka transactions, as some producers of the commands topic do: every record it sends lies inside
 * a transaction that it commits or aborts, and each transaction leaves a control marker (commit or abort) on every
 * partition it wrote to. The marker takes an offset of its own, which no consumer ever receives; a
 * {@code read_committed} consumer receives no record of an aborted transaction either. Not thread-safe.
 */
public final class TransactionalProducer implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;

    /** A producer with a transactional id of its own, ready for its first transaction. */
    public TransactionalProducer(KafkaBroker broker) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaBroker.uniqueName("transactional"),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Sends {@code record} in a transaction of its own and commits it; returns the record's offset. */
    public long commit(ProducerRecord<byte[], byte[]> record) {
        producer.beginTransaction();
        long offset = sent(record);
        producer.commitTransaction();
        return offset;
    }

    /** Sends {@code record} in a transaction of its own, written to the log, then aborts it; returns its offset. */
    public long abort(ProducerRecord<byte[], byte[]> record) {
        producer.beginTransaction();
        long offset = sent(record);
        producer.abortTransaction();
        return offset;
    }

    private long sent(ProducerRecord<byte[], byte[]> record) {
        try {
            RecordMetadata metadata = producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return metadata.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send to " + record.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
