package io.allsource.ingest.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Maps an Avro schema to the schema part of the JSON envelope that Kafka Connect's {@code JsonConverter} reads, and an
 * Avro value to its payload part, the way Confluent's and Apicurio's Avro converters map the same schema to Connect:
 * record to struct, {@code ["null", x]} to an optional x, enum to string, map to a map with string keys, and
 * {@code timestamp-millis} to Connect's {@code Timestamp} (epoch milliseconds on the wire).
 *
 * <p>Types the contract does not use (bytes, fixed, other unions, other logical types) are refused when the mapping
 * is built, naming the field, rather than written in a form a sink would misread. Stateless and thread-safe.
 */
final class ConnectSchemaMapping {

    /** Connect's logical name for a timestamp carried as epoch milliseconds. */
    static final String CONNECT_TIMESTAMP = "org.apache.kafka.connect.data.Timestamp";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConnectSchemaMapping() {
    }

    /**
     * The Connect schema of {@code schema}, as {@code JsonConverter} writes it in an envelope.
     *
     * @throws IllegalArgumentException naming the field whose type has no faithful Connect mapping here
     */
    static ObjectNode connectSchema(Schema schema) {
        return schemaNode(schema, false, schema.getFullName());
    }

    /** The payload of {@code value}, which must be a value of {@code schema} (as a generated record's fields are). */
    static JsonNode payload(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case RECORD -> recordPayload(schema, (IndexedRecord) value);
            case STRING, ENUM -> NODES.textNode(value.toString());
            case INT -> NODES.numberNode(((Number) value).intValue());
            case LONG -> NODES.numberNode(value instanceof Instant instant ? instant.toEpochMilli()
                    : ((Number) value).longValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case FLOAT -> NODES.numberNode(((Number) value).floatValue());
            case DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case ARRAY -> arrayPayload(schema.getElementType(), (Collection<?>) value);
            case MAP -> mapPayload(schema.getValueType(), (Map<?, ?>) value);
            case UNION -> payload(nonNullBranch(schema), value);
            default -> throw new IllegalArgumentException("No Connect mapping for Avro type " + schema.getType());
        };
    }

    private static ObjectNode schemaNode(Schema schema, boolean optional, String path) {
        ObjectNode node = NODES.objectNode();
        switch (schema.getType()) {
            case RECORD -> {
                node.put("type", "struct");
                node.put("name", schema.getFullName());
                ArrayNode fields = node.putArray("fields");
                for (Schema.Field field : schema.getFields()) {
                    ObjectNode fieldNode = NODES.objectNode().put("field", field.name());
                    fieldNode.setAll(schemaNode(field.schema(), false, path + "." + field.name()));
                    fields.add(fieldNode);
                }
            }
            case STRING, ENUM -> node.put("type", "string");
            case INT -> node.put("type", primitive(schema, "int32", path));
            case LONG -> longSchema(schema, node, path);
            case BOOLEAN -> node.put("type", "boolean");
            case FLOAT -> node.put("type", "float32");
            case DOUBLE -> node.put("type", "float64");
            case ARRAY -> {
                node.put("type", "array");
                node.set("items", schemaNode(schema.getElementType(), false, path + "[]"));
            }
            case MAP -> {
                node.put("type", "map");
                node.set("keys", NODES.objectNode().put("type", "string").put("optional", false));
                node.set("values", schemaNode(schema.getValueType(), false, path + "{}"));
            }
            case UNION -> {
                return schemaNode(nonNullBranch(schema, path), true, path);
            }
            default -> throw unsupported(schema, path);
        }
        node.put("optional", optional);
        return node;
    }

    private static void longSchema(Schema schema, ObjectNode node, String path) {
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType instanceof LogicalTypes.TimestampMillis) {
            node.put("type", "int64");
            node.put("name", CONNECT_TIMESTAMP);
            node.put("version", 1);
        } else {
            node.put("type", primitive(schema, "int64", path));
        }
    }

    private static String primitive(Schema schema, String connectType, String path) {
        if (schema.getLogicalType() != null) {
            throw unsupported(schema, path);
        }
        return connectType;
    }

    private static Schema nonNullBranch(Schema union, String path) {
        List<Schema> branches = union.getTypes();
        if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
            return branches.get(1);
        }
        if (branches.size() == 2 && branches.get(1).getType() == Schema.Type.NULL) {
            return branches.get(0);
        }
        throw unsupported(union, path);
    }

    private static Schema nonNullBranch(Schema union) {
        return nonNullBranch(union, union.toString());
    }

    private static ObjectNode recordPayload(Schema schema, IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
            node.set(field.name(), payload(field.schema(), record.get(field.pos())));
        }
        return node;
    }

    private static ArrayNode arrayPayload(Schema itemSchema, Collection<?> items) {
        ArrayNode node = NODES.arrayNode(items.size());
        for (Object item : items) {
            node.add(payload(itemSchema, item));
        }
        return node;
    }

    private static ObjectNode mapPayload(Schema valueSchema, Map<?, ?> entries) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            node.set(entry.getKey().toString(), payload(valueSchema, entry.getValue()));
        }
        return node;
    }

    private static IllegalArgumentException unsupported(Schema schema, String path) {
        String type = schema.getLogicalType() != null ? schema.getLogicalType().getName() : schema.toString();
        return new IllegalArgumentException(path + " has the Avro type " + type
                + ", which has no faithful mapping to the Connect JSON envelope here");
    }
}
