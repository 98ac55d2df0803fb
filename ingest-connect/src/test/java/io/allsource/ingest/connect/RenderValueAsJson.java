package io.allsource.ingest.connect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * A test transformation that renders the value a converter made, with its Connect schema, as one line of JSON
 * ({@code JsonConverter}'s envelope), so that the file sink writes it in a form the test can read back exactly. The
 * file sink alone writes {@code Struct.toString()}, which drops the milliseconds of timestamps and cannot be parsed
 * back when a payload holds commas. It changes nothing but the rendering: the struct it renders is the one the
 * converter under test produced. Not thread-safe; Connect gives every task its own instance.
 */
public final class RenderValueAsJson implements Transformation<SinkRecord> {

    private final JsonConverter renderer = new JsonConverter();

    @Override
    public void configure(Map<String, ?> configs) {
        renderer.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true"), false);
    }

    @Override
    public SinkRecord apply(SinkRecord record) {
        byte[] rendered = renderer.fromConnectData(record.topic(), record.valueSchema(), record.value());
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                Schema.STRING_SCHEMA, new String(rendered, StandardCharsets.UTF_8), record.timestamp());
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        renderer.close();
    }
}
