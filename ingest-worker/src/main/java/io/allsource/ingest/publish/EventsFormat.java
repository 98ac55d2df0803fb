package io.allsource.ingest.publish;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.serde.JsonEnvelopeSerializer;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serializer;

/** How events are written to the events topic. */
public enum EventsFormat {

    /** Avro in the Confluent wire format, under the subject {@code <events topic>-value}: the contract's default. */
    AVRO,
    /** JSON with the Kafka Connect schema envelope, for sinks without a schema registry. */
    JSON_ENVELOPE;

    /** {@code avro} or {@code json-envelope}, as the setting spells it. */
    public static EventsFormat parse(String setting) {
        return valueOf(setting.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public Serializer<EventRecord> serializer(SchemaRegistryClient registry, boolean autoRegister) {
        return this == AVRO ? AvroSerializer.forTopics(registry, autoRegister) : JsonEnvelopeSerializer.forEvents();
    }
}
