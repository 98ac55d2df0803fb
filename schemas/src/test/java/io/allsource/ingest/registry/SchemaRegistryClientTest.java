package io.allsource.ingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.registry.FakeRegistry.Answer;
import io.allsource.ingest.registry.FakeRegistry.Received;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** What {@link SchemaRegistryClient} asks a registry, what it makes of the answers, and what it caches. */
class SchemaRegistryClientTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("io.allsource.test").fields()
            .requiredString("name").endRecord();
    private static final Schema OTHER = SchemaBuilder.record("Probe").namespace("io.allsource.test").fields()
            .requiredString("name").optionalLong("size").endRecord();

    private static SchemaRegistryClient clientOf(FakeRegistry registry) {
        return new SchemaRegistryClient(RegistrySettings.of(registry.url())
                .withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(2)));
    }

    private static String schemaAnswer(Schema schema) {
        return RegistryHttp.JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    @Test
    void asksTheRegistryOnceForTheSameSchemaUnderTheSameSubject() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"id\":7}")) {
            SchemaRegistryClient client = clientOf(registry);

            assertThat(client.register("orders-value", SCHEMA)).isEqualTo(7);
            assertThat(client.register("orders-value", SCHEMA)).isEqualTo(7);
            assertThat(client.idOf("orders-value", SCHEMA)).isEqualTo(7);

            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void answersTheLoserOfARacedFirstRegistrationWithTheExistingId() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> number == 1
                ? FakeRegistry.Answer.json(409, "{\"error_code\":409,\"message\":\"already exists\"}")
                : FakeRegistry.Answer.json(200, "{\"id\":12,\"version\":1}"))) {
            SchemaRegistryClient client = clientOf(registry);

            assertThat(client.register("orders-value", SCHEMA)).isEqualTo(12);
            assertThat(registry.requests()).extracting(Received::method, Received::rawPath).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("POST", "/subjects/orders-value/versions"),
                    org.assertj.core.groups.Tuple.tuple("POST", "/subjects/orders-value"));
        }
    }

    @Test
    void reportsAnIncompatibleSchemaWhenTheSubjectDoesNotHoldIt() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> number == 1
                ? FakeRegistry.Answer.json(409, "{\"error_code\":409,\"message\":\"incompatible\"}")
                : FakeRegistry.Answer.json(404, "{\"error_code\":40403,\"message\":\"not found\"}"))) {
            SchemaRegistryClient client = clientOf(registry);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
                    .isInstanceOfSatisfying(RegistryRequestException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(409))
                    .hasMessageContaining("incompatible");
        }
    }

    @Test
    void asksAgainForTheSameSchemaUnderAnotherSubject() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"id\":7}")) {
            SchemaRegistryClient client = clientOf(registry);

            client.register("orders-value", SCHEMA);
            client.register("payments-value", SCHEMA);

            assertThat(registry.requests()).extracting(Received::rawPath)
                    .containsExactly("/subjects/orders-value/versions", "/subjects/payments-value/versions");
        }
    }

    @Test
    void knowsTheSchemaOfAnIdItRegisteredWithoutAskingForIt() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"id\":7}")) {
            SchemaRegistryClient client = clientOf(registry);
            client.register("orders-value", SCHEMA);

            assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void answersASchemaByIdFromItsCacheOnceTheRegistryIsGone() {
        SchemaRegistryClient client;
        try (FakeRegistry registry = FakeRegistry.answering(200, schemaAnswer(SCHEMA))) {
            client = clientOf(registry);
            assertThat(client.schemaById(12)).isEqualTo(SCHEMA);
            assertThat(registry.requests()).extracting(Received::rawPath).containsExactly("/schemas/ids/12");
        }

        assertThat(client.schemaById(12)).isEqualTo(SCHEMA);
        assertThatThrownBy(() -> client.schemaById(13)).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void looksUpAnIdWithoutRegistering() {
        try (FakeRegistry registry = FakeRegistry.answering(200,
                "{\"subject\":\"orders-value\",\"id\":9,\"version\":2,\"schema\":\"\\\"string\\\"\"}")) {

            assertThat(clientOf(registry).idOf("orders-value", SCHEMA)).isEqualTo(9);

            assertThat(registry.requests()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.rawPath()).isEqualTo("/subjects/orders-value");
            });
        }
    }

    @Test
    void reportsAnUnknownSubjectAsNotFound() {
        try (FakeRegistry registry = FakeRegistry.answering(404,
                "{\"error_code\":40401,\"message\":\"Subject 'orders-value' not found.\"}")) {

            assertThatThrownBy(() -> clientOf(registry).idOf("orders-value", SCHEMA))
                    .isInstanceOfSatisfying(RegistryRequestException.class, refusal -> {
                        assertThat(refusal.isNotFound()).isTrue();
                        assertThat(refusal.errorCode()).isEqualTo(40401);
                    });
        }
    }

    @Test
    void doesNotCacheARefusal() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> number == 1
                ? Answer.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                : Answer.json(200, "{\"id\":4}"))) {
            SchemaRegistryClient client = clientOf(registry);

            assertThatThrownBy(() -> client.idOf("orders-value", SCHEMA))
                    .isInstanceOfSatisfying(RegistryRequestException.class,
                            refusal -> assertThat(refusal.isNotFound()).isTrue());
            assertThat(client.idOf("orders-value", SCHEMA)).isEqualTo(4);
        }
    }

    @Test
    void rejectsAnAnswerToRegisterWithoutAnId() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"version\":1}")) {

            assertThatThrownBy(() -> clientOf(registry).register("orders-value", SCHEMA))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("orders-value")
                    .hasMessageContaining("returned no id");
        }
    }

    @Test
    void rejectsASchemaOfAnotherTypeThanAvro() {
        try (FakeRegistry registry = FakeRegistry.answering(200,
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}")) {

            assertThatThrownBy(() -> clientOf(registry).schemaById(5))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("Schema 5")
                    .hasMessageContaining("PROTOBUF");
        }
    }

    @Test
    void readsASchemaMarkedAvroExplicitly() {
        String answer = RegistryHttp.JSON.createObjectNode().put("schemaType", "AVRO").put("schema", OTHER.toString())
                .toString();
        try (FakeRegistry registry = FakeRegistry.answering(200, answer)) {

            assertThat(clientOf(registry).schemaById(5)).isEqualTo(OTHER);
        }
    }

    @Test
    void rejectsASchemaThatIsNotValidAvro() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}")) {

            assertThatThrownBy(() -> clientOf(registry).schemaById(5))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("Schema 5")
                    .hasMessageContaining("not valid Avro");
        }
    }

    @Test
    void rejectsASchemaThatIsNotEvenJson() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"schema\":\"{not json\"}")) {

            assertThatThrownBy(() -> clientOf(registry).schemaById(5))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("not valid Avro");
        }
    }

    @Test
    void readsTheCompatibilityVerdict() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> Answer.json(200,
                "{\"is_compatible\":" + (number == 1) + "}"))) {
            SchemaRegistryClient client = clientOf(registry);

            assertThat(client.isCompatible("orders-value", OTHER)).isTrue();
            assertThat(client.isCompatible("orders-value", OTHER)).isFalse();
            assertThat(registry.requests()).extracting(Received::rawPath)
                    .containsOnly("/compatibility/subjects/orders-value/versions/latest");
        }
    }

    @Test
    void setsTheCompatibilityLevelWithAPut() throws Exception {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"compatibility\":\"BACKWARD\"}")) {

            clientOf(registry).setCompatibility("orders-value", "BACKWARD");

            Received request = registry.requests().get(0);
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.rawPath()).isEqualTo("/config/orders-value");
            assertThat(RegistryHttp.JSON.readTree(request.body()).path("compatibility").asText())
                    .isEqualTo("BACKWARD");
        }
    }

    @Test
    void checksReachabilityByListingSubjects() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "[\"orders-value\"]")) {

            clientOf(registry).checkReachable();

            assertThat(registry.requests()).extracting(Received::method, Received::rawPath)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/subjects"));
        }
    }
}
