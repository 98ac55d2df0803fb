package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The events topic's values as a Kafka Streams serde: the contract's Confluent wire format through our registry. */
public final class EventRecordSerde {

    private EventRecordSerde() {
    }

    /**
     * Reads events with the writer's schema from {@code registry}; writes them (only tests do) under the subject
     * {@code <topic>-value}, which must already hold the schema.
     */
    public static Serde<EventRecord> of(SchemaRegistryClient registry) {
        return Serdes.serdeFrom(AvroSerializer.forTopics(registry, false),
                new AvroDeserializer<>(registry, EventRecord.class));
    }
}
