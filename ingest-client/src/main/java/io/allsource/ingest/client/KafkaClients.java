package io.allsource.ingest.client;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients and the results deserializer one {@link IngestClient} owns.
 *
 * @param producer           sends commands, keyed by partition key, values in the Confluent wire format
 * @param resultsConsumer    reads the results topic as raw bytes, so that foreign results are skipped undecoded
 * @param resultDeserializer decodes the results the client waits for
 */
record KafkaClients(Producer<String, AppendCommand> producer, Consumer<byte[], byte[]> resultsConsumer,
        Deserializer<CommandResult> resultDeserializer) {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    /** Creates the clients for {@code settings}; when the second cannot be created, the first is closed. */
    static KafkaClients create(ClientSettings settings, String clientId) {
        Producer<String, AppendCommand> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(settings.kafka(), clientId, settings.timeout()),
                new StringSerializer(),
                AvroSerializer.<AppendCommand>forTopics(settings.registry(), settings.autoRegisterSchemas()));
        try {
            Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    KafkaClientProperties.resultsConsumer(settings.kafka(), clientId),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            return new KafkaClients(producer, consumer,
                    new AvroDeserializer<>(settings.registry(), CommandResult.class));
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** Closes both clients within {@code timeout} each, logging rather than throwing what goes wrong. */
    void closeQuietly(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            log.warn("The producer of an ingest client that failed to start did not close cleanly", e);
        }
        try {
            resultsConsumer.close(CloseOptions.timeout(timeout));
        } catch (RuntimeException e) {
            log.warn("The results consumer of an ingest client that failed to start did not close cleanly", e);
        }
    }
}
