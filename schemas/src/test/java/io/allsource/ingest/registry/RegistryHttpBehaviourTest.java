package io.allsource.ingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allsource.ingest.registry.FakeRegistry.Answer;
import io.allsource.ingest.registry.FakeRegistry.Received;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLHandshakeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client talks HTTP to a registry: retries, refusals, credentials, TLS and paths, against fake registries. */
class RegistryHttpBehaviourTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("io.allsource.test").fields()
            .requiredString("name").endRecord();
    private static final Duration SMALL_BACKOFF = Duration.ofMillis(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static SchemaRegistryClient clientOf(FakeRegistry registry, int maxAttempts) {
        return new SchemaRegistryClient(RegistrySettings.of(registry.url())
                .withRetries(maxAttempts, SMALL_BACKOFF, TIMEOUT));
    }

    @Test
    void retriesServerErrorsUntilTheRegistryAnswers() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> number <= 2
                ? Answer.json(503, "{\"error_code\":50301,\"message\":\"starting\"}")
                : Answer.json(200, "{\"id\":7}"))) {

            int id = clientOf(registry, 3).register("orders-value", SCHEMA);

            assertThat(id).isEqualTo(7);
            assertThat(registry.requestCount()).isEqualTo(3);
            assertThat(registry.requests()).extracting(Received::rawPath)
                    .containsOnly("/subjects/orders-value/versions");
        }
    }

    @Test
    void givesUpAfterMaxAttemptsOfServerErrorsNamingTheAttemptsAndTheLastStatus() {
        try (FakeRegistry registry = FakeRegistry.answering(500, "database on fire")) {

            RegistryUnavailableException failure = catchThrowableOfType(RegistryUnavailableException.class,
                    () -> clientOf(registry, 4).register("orders-value", SCHEMA));

            assertThat(registry.requestCount()).isEqualTo(4);
            assertThat(failure).hasMessageContaining("failed after 4 attempts")
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("database on fire")
                    .hasMessageContaining(registry.url());
        }
    }

    @Test
    void givingUpNeverPrintsThePasswordOfTheUrl() {
        try (FakeRegistry registry = FakeRegistry.answering(503, "")) {
            String url = registry.url().replace("://", "://ingest:hunter2@");

            RegistryUnavailableException failure = catchThrowableOfType(RegistryUnavailableException.class,
                    () -> new SchemaRegistryClient(RegistrySettings.of(url).withRetries(1, SMALL_BACKOFF, TIMEOUT))
                            .checkReachable());

            assertThat(failure).hasMessageContaining("ingest:****@").hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void makesOneAttemptOnlyWhenMaxAttemptsIsOne() {
        try (FakeRegistry registry = FakeRegistry.answering(503, "")) {

            assertThatThrownBy(() -> clientOf(registry, 1).checkReachable())
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("failed after 1 attempt,");
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void doublesTheBackOffAfterEachFailedAttempt() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> {
            arrivals.add(System.nanoTime());
            return Answer.json(502, "bad gateway");
        })) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url())
                    .withRetries(3, Duration.ofMillis(100), TIMEOUT));

            assertThatThrownBy(client::checkReachable).isInstanceOf(RegistryUnavailableException.class);

            assertThat(arrivals).hasSize(3);
            assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void failsWithinBoundedTimeWhenNothingListens() {
        String url = "http://127.0.0.1:" + FakeRegistry.closedPort();
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(url)
                .withRetries(3, SMALL_BACKOFF, TIMEOUT));
        long start = System.nanoTime();

        RegistryUnavailableException failure = catchThrowableOfType(RegistryUnavailableException.class,
                () -> client.register("orders-value", SCHEMA));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(failure).hasMessageContaining("failed after 3 attempts")
                .hasMessageContaining(url)
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void givesUpOnARegistryThatNeverAnswersAfterTheRequestTimeoutOfEachAttempt() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> Answer.hang())) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url())
                    .withRetries(2, SMALL_BACKOFF, Duration.ofMillis(300)));
            long start = System.nanoTime();

            RegistryUnavailableException failure = catchThrowableOfType(RegistryUnavailableException.class,
                    client::checkReachable);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(failure).hasMessageContaining("failed after 2 attempts")
                    .hasCauseInstanceOf(HttpTimeoutException.class);
            assertThat(registry.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void keepsTheInterruptFlagWhenInterruptedWhileWaitingForAnAnswer() {
        try (FakeRegistry registry = FakeRegistry.http((number, request) -> Answer.hang())) {
            SchemaRegistryClient client = clientOf(registry, 3);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(client::checkReachable)
                        .isInstanceOf(RegistryUnavailableException.class)
                        .hasMessageContaining("interrupted")
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void reportsARefusalWithTheRegistrysErrorCodeAndMessageWithoutRetrying() {
        try (FakeRegistry registry = FakeRegistry.answering(422,
                "{\"error_code\":42201,\"message\":\"Invalid schema\"}")) {

            RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                    () -> clientOf(registry, 3).register("orders-value", SCHEMA));

            assertThat(refusal.errorCode()).isEqualTo(42201);
            assertThat(refusal.httpStatus()).isEqualTo(422);
            assertThat(refusal.registryMessage()).isEqualTo("Invalid schema");
            assertThat(refusal.isNotFound()).isFalse();
            assertThat(refusal).hasMessageContaining("POST /subjects/orders-value/versions")
                    .hasMessageContaining("42201")
                    .hasMessageContaining("Invalid schema");
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void reportsARefusalWithoutRegistryJsonWithTheHttpStatusAsCodeAndTheBodyAsMessage() {
        try (FakeRegistry registry = FakeRegistry.answering(401, "Unauthorized: who are you?")) {

            RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                    () -> clientOf(registry, 3).checkReachable());

            assertThat(refusal.errorCode()).isEqualTo(401);
            assertThat(refusal.httpStatus()).isEqualTo(401);
            assertThat(refusal.registryMessage()).isEqualTo("Unauthorized: who are you?");
            assertThat(refusal.isNotFound()).isFalse();
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void treatsAPlainNotFoundAsNotFound() {
        try (FakeRegistry registry = FakeRegistry.answering(404, "<html>no such page</html>")) {

            RegistryRequestException refusal = catchThrowableOfType(RegistryRequestException.class,
                    () -> clientOf(registry, 3).schemaById(5));

            assertThat(refusal.isNotFound()).isTrue();
            assertThat(refusal.errorCode()).isEqualTo(404);
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void rejectsASuccessfulAnswerThatIsNotJson() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "<html>a proxy's login page</html>")) {

            assertThatThrownBy(() -> clientOf(registry, 3).register("orders-value", SCHEMA))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("something other than JSON")
                    .hasMessageContaining("a proxy's login page");
            assertThat(registry.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void sendsBasicAuthenticationWhenGivenUserInfo() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "[]")) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url())
                    .withBasicAuth("user:secret"));

            client.checkReachable();

            assertThat(registry.requests()).extracting(Received::authorization)
                    .containsExactly("Basic dXNlcjpzZWNyZXQ=");
        }
    }

    @Test
    void sendsNoAuthorizationWithoutUserInfo() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "[]")) {

            clientOf(registry, 1).checkReachable();

            assertThat(registry.requests()).singleElement()
                    .satisfies(request -> assertThat(request.authorization()).isNull());
        }
    }

    @Test
    void sendsTheSchemaAsRegistryJson() throws Exception {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"id\":3}")) {

            clientOf(registry, 1).register("orders-value", SCHEMA);

            Received request = registry.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(new Schema.Parser().parse(RegistryHttp.JSON.readTree(request.body()).get("schema").asText()))
                    .isEqualTo(SCHEMA);
        }
    }

    @Test
    void encodesASubjectWithASpaceAndASlashInThePath() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "{\"id\":11}")) {
            SchemaRegistryClient client = clientOf(registry, 1);

            client.register("orders value/v1", SCHEMA);
            client.setCompatibility("a+b c/d", "BACKWARD");

            assertThat(registry.requests()).extracting(Received::rawPath)
                    .containsExactly("/subjects/orders%20value%2Fv1/versions", "/config/a%2Bb%20c%2Fd");
        }
    }

    @Test
    void joinsTheBaseUrlWithATrailingSlashAndThePathWithoutADoubleSlash() {
        try (FakeRegistry registry = FakeRegistry.answering(200, "[]")) {
            SchemaRegistryClient client = new SchemaRegistryClient(
                    RegistrySettings.of(registry.url() + "/apis/ccompat/v7/"));

            client.checkReachable();

            assertThat(registry.requests()).extracting(Received::rawPath)
                    .containsExactly("/apis/ccompat/v7/subjects");
        }
    }

    @Test
    void trustsARegistryWhoseCertificateIsInTheTrustStore(@TempDir Path folder) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.createIn(folder);
        try (FakeRegistry registry = FakeRegistry.https(certificate.serverContext(),
                (number, request) -> Answer.json(200, "{\"id\":21}"))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url())
                    .withTrustStore(certificate.trustStore(), SelfSignedCertificate.PASSWORD, "PKCS12")
                    .withRetries(1, SMALL_BACKOFF, TIMEOUT));

            assertThat(client.register("orders-value", SCHEMA)).isEqualTo(21);
            assertThat(registry.url()).startsWith("https://");
        }
    }

    @Test
    void refusesARegistryWhoseCertificateIsNotTrusted(@TempDir Path folder) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.createIn(folder);
        try (FakeRegistry registry = FakeRegistry.https(certificate.serverContext(),
                (number, request) -> Answer.json(200, "{\"id\":21}"))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url())
                    .withRetries(1, SMALL_BACKOFF, TIMEOUT));

            assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("failed after 1 attempt,")
                    .hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(registry.requestCount()).isZero();
        }
    }

    @Test
    void rejectsATrustStoreThatDoesNotExistNamingItsPath(@TempDir Path folder) {
        Path missing = folder.resolve("no-such-truststore.p12");
        RegistrySettings settings = RegistrySettings.of("https://127.0.0.1:8081")
                .withTrustStore(missing, SelfSignedCertificate.PASSWORD, "PKCS12");

        assertThatThrownBy(() -> new SchemaRegistryClient(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust store")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void rejectsATrustStoreOpenedWithTheWrongPassword(@TempDir Path folder) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.createIn(folder);
        RegistrySettings settings = RegistrySettings.of("https://127.0.0.1:8081")
                .withTrustStore(certificate.trustStore(), "not-the-password", "PKCS12");

        assertThatThrownBy(() -> new SchemaRegistryClient(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(certificate.trustStore().toString())
                .hasMessageNotContaining("not-the-password");
    }
}
