package io.allsource.ingest.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API, enough for the Confluent wire format: register a schema under a
 * subject, look a schema up by id, look up the id of a schema under a subject, check compatibility, set a subject's
 * compatibility level. Ids and schemas are cached both ways, since an id never changes its schema.
 *
 * <p>Written here because Confluent's own client ({@code io.confluent:kafka-schema-registry-client}) cannot be fetched
 * in this project's build environment; it speaks the same API, so it works with Confluent Schema Registry, Apicurio
 * Registry ({@code /apis/ccompat/v7}) and other compatible servers. Thread-safe.
 */
public final class SchemaRegistryClient {

    private static final int CONFLICT = 409;

    private final RegistrySettings settings;
    private final RegistryHttp http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.http = new RegistryHttp(settings);
    }

    public RegistrySettings settings() {
        return settings;
    }

    /**
     * Registers {@code schema} under {@code subject} and returns its id; registering a schema the subject already has
     * returns the existing id.
     *
     * @throws RegistryRequestException when the registry refuses it, such as an incompatible schema (409)
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        } catch (RegistryRequestException e) {
            if (e.httpStatus() == CONFLICT) {
                return idOfRacedRegistration(subject, schema, e);
            }
            throw e;
        }
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException("Registering under " + subject + " returned no id: " + answer);
        }
        remember(key, id);
        return id;
    }

    /**
     * A 409 means an incompatible schema, except that some registries (Apicurio) also answer it to the loser of two
     * concurrent first registrations of a subject: then the schema is there, and its id is the answer.
     */
    private int idOfRacedRegistration(String subject, Schema schema, RegistryRequestException conflict) {
        try {
            return idOf(subject, schema);
        } catch (RegistryRequestException lookup) {
            conflict.addSuppressed(lookup);
            throw conflict;
        }
    }

    /**
     * The id of {@code schema} under {@code subject}, which must have been registered before.
     *
     * @throws RegistryRequestException with {@link RegistryRequestException#isNotFound()} when it has not
     */
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.post("/subjects/" + encode(subject), schemaBody(schema));
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException("Looking up the schema under " + subject + " returned no id: " + answer);
        }
        remember(key, id);
        return id;
    }

    /**
     * The schema with id {@code id}.
     *
     * @throws RegistryRequestException with {@link RegistryRequestException#isNotFound()} for an unknown id
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.get("/schemas/ids/" + id);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new RegistryException("Schema " + id + " is of type " + type + ", not AVRO");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(answer.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new RegistryException("Schema " + id + " from the registry is not valid Avro: " + e.getMessage(), e);
        }
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** Whether {@code schema} could be registered as the next version of {@code subject} under its compatibility rule. */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer = http.post("/compatibility/subjects/" + encode(subject) + "/versions/latest",
                schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    /** Sets the compatibility rule of {@code subject}, such as {@code BACKWARD}. */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = RegistryHttp.JSON.createObjectNode().put("compatibility", level);
        http.put("/config/" + encode(subject), body);
    }

    /** Whether {@code subject} has at least one version. */
    public boolean hasSubject(String subject) {
        try {
            http.get("/subjects/" + encode(subject) + "/versions");
            return true;
        } catch (RegistryRequestException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** The compatibility rule set on {@code subject} itself, such as {@code FULL}, or empty when it has none. */
    public Optional<String> compatibility(String subject) {
        try {
            String level = http.get("/config/" + encode(subject)).path("compatibilityLevel").asText("");
            return level.isEmpty() ? Optional.empty() : Optional.of(level);
        } catch (RegistryRequestException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Asks the registry for its subjects, to tell whether it is reachable. */
    public void checkReachable() {
        http.get("/subjects");
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, key.schema());
    }

    private static ObjectNode schemaBody(Schema schema) {
        return RegistryHttp.JSON.createObjectNode().put("schema", schema.toString());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
