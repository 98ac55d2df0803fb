package io.allsource.ingest.cli;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect converter for the tests' sinks of the events topic: decodes each value (Confluent wire format, Avro)
 * with the pipeline's own deserializer through the schema registry, logging in with the credentials and trust store
 * of its configuration, into the event's JSON text ({@code EventRecord.toString()}), a string without a schema.
 * Production sinks use Apicurio's converter (see "Kafka Connect sinks"); this one lets a Connect worker in the test
 * JVM read the events without a plugin folder. Reads only; used by one task.
 */
public final class EventRecordTextConverter implements Converter {

    static final String URL = "registry.url";
    static final String BASIC_AUTH = "registry.basic.auth";
    static final String TRUST_STORE = "registry.truststore";
    static final String TRUST_STORE_PASSWORD = "registry.truststore.password";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(URL, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the registry's Confluent API")
            .define(BASIC_AUTH, ConfigDef.Type.PASSWORD, ConfigDef.Importance.HIGH, "user:password")
            .define(TRUST_STORE, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "PKCS12 trust store")
            .define(TRUST_STORE_PASSWORD, ConfigDef.Type.PASSWORD, ConfigDef.Importance.HIGH, "its password");

    private AvroDeserializer<EventRecord> deserializer;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> parsed = CONFIG.parse(configs);
        RegistrySettings settings = RegistrySettings.of((String) parsed.get(URL))
                .withBasicAuth(((Password) parsed.get(BASIC_AUTH)).value())
                .withTrustStore(Path.of((String) parsed.get(TRUST_STORE)),
                        ((Password) parsed.get(TRUST_STORE_PASSWORD)).value(), "PKCS12");
        deserializer = new AvroDeserializer<>(new SchemaRegistryClient(settings), EventRecord.class);
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        return new SchemaAndValue(Schema.STRING_SCHEMA, deserializer.deserialize(topic, value).toString());
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("EventRecordTextConverter only reads");
    }
}
