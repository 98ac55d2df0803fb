package io.allsource.ingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.FakeRegistry.Answer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SchemaRegistryClient} against a real registry: Apicurio Registry's Confluent API, shared by the test JVM. */
@ExtendWith(SchemaRegistryExtension.class)
class SchemaRegistryClientIT {

    private static final String NAMESPACE = "io.allsource.test";

    private static Schema version1() {
        return SchemaBuilder.record("Order").namespace(NAMESPACE).fields()
                .requiredString("id")
                .requiredLong("amount")
                .endRecord();
    }

    private static Schema withOptionalFieldWithDefault() {
        return SchemaBuilder.record("Order").namespace(NAMESPACE).fields()
                .requiredString("id")
                .requiredLong("amount")
                .name("currency").type().stringType().stringDefault("EUR")
                .endRecord();
    }

    private static Schema withRequiredFieldWithoutDefault() {
        return SchemaBuilder.record("Order").namespace(NAMESPACE).fields()
                .requiredString("id")
                .requiredLong("amount")
                .requiredString("customer")
                .endRecord();
    }

    private static Schema withChangedFieldType() {
        return SchemaBuilder.record("Order").namespace(NAMESPACE).fields()
                .requiredString("id")
                .requiredBoolean("amount")
                .endRecord();
    }

    private static String uniqueSubject(String name) {
        return name + "-" + UUID.randomUUID() + "-value";
    }

    private static SchemaRegistryClient clientOf(TestSchemaRegistry registry) {
        return new SchemaRegistryClient(RegistrySettings.of(registry.url())
                .withRetries(3, Duration.ofMillis(50), Duration.ofSeconds(10)));
    }

    @Test
    void registeringTheSameSchemaAgainReturnsTheSameId(TestSchemaRegistry registry) {
        String subject = uniqueSubject("idempotent");

        int first = clientOf(registry).register(subject, version1());
        int again = clientOf(registry).register(subject, version1());

        assertThat(first).isNotNegative();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void registeringAnotherSchemaUnderTheSameSubjectReturnsAnotherId(TestSchemaRegistry registry) {
        String subject = uniqueSubject("versions");
        SchemaRegistryClient client = clientOf(registry);

        int first = client.register(subject, version1());
        int second = client.register(subject, withOptionalFieldWithDefault());

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void readsBackTheRegisteredSchemaById(TestSchemaRegistry registry) {
        String subject = uniqueSubject("append-command");
        Schema schema = AppendCommand.getClassSchema();
        int id = clientOf(registry).register(subject, schema);

        Schema read = clientOf(registry).schemaById(id);

        assertThat(read).isEqualTo(schema);
        assertThat(read.getFullName()).isEqualTo("io.allsource.ingest.avro.AppendCommand");
    }

    @Test
    void findsTheIdOfARegisteredSchema(TestSchemaRegistry registry) {
        String subject = uniqueSubject("lookup");
        clientOf(registry).register(subject, version1());
        int id = clientOf(registry).register(subject, withOptionalFieldWithDefault());

        assertThat(clientOf(registry).idOf(subject, withOptionalFieldWithDefault())).isEqualTo(id);
    }

    @Test
    void reportsASubjectThatDoesNotExistAsNotFound(TestSchemaRegistry registry) {
        String subject = uniqueSubject("never-registered");

        RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                () -> clientOf(registry).idOf(subject, version1()));

        assertThat(refusal.isNotFound()).isTrue();
        assertThat(refusal.httpStatus()).isEqualTo(404);
        assertThat(refusal.errorCode()).isIn(40401, 40403);
        assertThat(refusal.registryMessage()).contains(subject);
    }

    @Test
    void reportsASchemaTheSubjectDoesNotHaveAsNotFound(TestSchemaRegistry registry) {
        String subject = uniqueSubject("other-schema");
        clientOf(registry).register(subject, version1());

        RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                () -> clientOf(registry).idOf(subject, withChangedFieldType()));

        assertThat(refusal.isNotFound()).isTrue();
        assertThat(refusal.errorCode()).isIn(40401, 40403);
        assertThat(refusal.registryMessage()).isNotBlank();
        assertThat(refusal).hasMessageContaining("/subjects/" + subject);
    }

    @Test
    void reportsAnUnknownIdAsNotFound(TestSchemaRegistry registry) {
        RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                () -> clientOf(registry).schemaById(987654));

        assertThat(refusal.isNotFound()).isTrue();
        assertThat(refusal.httpStatus()).isEqualTo(404);
        assertThat(refusal).hasMessageContaining("/schemas/ids/987654");
    }

    @Test
    void answersASchemaItReadOnceAfterTheRegistryIsGone(TestSchemaRegistry registry) throws Exception {
        String subject = uniqueSubject("cached");
        Schema schema = withOptionalFieldWithDefault();
        int id = clientOf(registry).register(subject, schema);
        String realAnswer = rawGet(registry.url() + "/schemas/ids/" + id);
        SchemaRegistryClient client;
        try (FakeRegistry replay = FakeRegistry.http((number, request) -> request.rawPath().equals("/schemas/ids/" + id)
                ? Answer.json(200, realAnswer)
                : Answer.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"))) {
            client = new SchemaRegistryClient(RegistrySettings.of(replay.url())
                    .withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(2)));
            assertThat(client.schemaById(id)).isEqualTo(schema);
            assertThat(replay.requestCount()).isEqualTo(1);
        }

        assertThat(client.schemaById(id)).isEqualTo(schema);
        assertThatThrownBy(client::checkReachable).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void acceptsACompatibleEvolutionUnderBackward(TestSchemaRegistry registry) {
        String subject = uniqueSubject("backward-ok");
        SchemaRegistryClient client = clientOf(registry);
        client.register(subject, version1());
        client.setCompatibility(subject, "BACKWARD");

        assertThat(client.isCompatible(subject, withOptionalFieldWithDefault())).isTrue();
    }

    @Test
    void rejectsANewRequiredFieldWithoutDefaultUnderBackward(TestSchemaRegistry registry) {
        String subject = uniqueSubject("backward-new-required");
        SchemaRegistryClient client = clientOf(registry);
        client.register(subject, version1());
        client.setCompatibility(subject, "BACKWARD");

        assertThat(client.isCompatible(subject, withRequiredFieldWithoutDefault())).isFalse();
    }

    @Test
    void rejectsAChangedFieldTypeUnderBackward(TestSchemaRegistry registry) {
        String subject = uniqueSubject("backward-changed-type");
        SchemaRegistryClient client = clientOf(registry);
        client.register(subject, version1());
        client.setCompatibility(subject, "BACKWARD");

        assertThat(client.isCompatible(subject, withChangedFieldType())).isFalse();
    }

    @Test
    void refusesToRegisterAnIncompatibleSchemaUnderBackward(TestSchemaRegistry registry) {
        String subject = uniqueSubject("backward-register");
        SchemaRegistryClient client = clientOf(registry);
        client.register(subject, version1());
        client.setCompatibility(subject, "BACKWARD");

        RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                () -> client.register(subject, withRequiredFieldWithoutDefault()));

        assertThat(refusal.httpStatus()).isEqualTo(409);
        assertThat(refusal.isNotFound()).isFalse();
    }

    @Test
    void registersAndFindsASubjectWithASpaceAndASlash(TestSchemaRegistry registry) {
        String subject = "orders value/" + UUID.randomUUID();

        int id = clientOf(registry).register(subject, version1());

        assertThat(clientOf(registry).idOf(subject, version1())).isEqualTo(id);
    }

    @Test
    void reachesTheRegistry(TestSchemaRegistry registry) {
        assertThatCode(() -> clientOf(registry).checkReachable()).doesNotThrowAnyException();
    }

    private static String rawGet(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
