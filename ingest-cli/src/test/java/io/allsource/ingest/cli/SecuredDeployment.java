package io.allsource.ingest.cli;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.testing.IngestGrants;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.RegistryProxy;
import io.allsource.ingest.testing.ScramSslKafka;
import io.allsource.ingest.testing.SelfSignedCertificate;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.testing.TlsPostgres;
import io.allsource.ingest.topics.IngestTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The servers of a production deployment, each secured as the README's production section says, for one test class:
 * a {@link ScramSslKafka} broker with the {@link IngestGrants} of every principal for this deployment's topics and
 * groups (created by the admin, as the README's first deployment step does), a {@link TlsPostgres} (verify-full, an
 * owner and a worker role) and the test registry behind a {@link RegistryProxy} over HTTPS with basic authentication,
 * one registry user per component. It hands out each component's flags and client properties, and every secret it
 * made, for the tests that check none is printed. Closing stops the broker, the database and the proxy.
 */
final class SecuredDeployment implements AutoCloseable {

    /** The registry user that registers the schemas in the deployment step. */
    static final String DEPLOYER = "ingest-deployer";
    /** The principals whose Kafka and registry users the deployment has. */
    static final List<String> PRINCIPALS = List.of(IngestGrants.WORKER, IngestGrants.CLIENT, IngestGrants.VIEWS,
            IngestGrants.CONNECT);

    private static final String DATABASE_GRANTS_HEADING = "-- The worker's grants:";

    private final ScramSslKafka kafka;
    private final IngestGrants grants;
    private final TlsPostgres postgres;
    private final SelfSignedCertificate registryCertificate;
    private final RegistryProxy registry;
    private final Map<String, String> registryPasswords;

    private SecuredDeployment(ScramSslKafka kafka, IngestGrants grants, TlsPostgres postgres,
            SelfSignedCertificate registryCertificate, RegistryProxy registry, Map<String, String> registryPasswords) {
        this.kafka = kafka;
        this.grants = grants;
        this.postgres = postgres;
        this.registryCertificate = registryCertificate;
        this.registry = registry;
        this.registryPasswords = registryPasswords;
    }

    /**
     * Starts the servers with their files under {@code folder}, the topics (32 partitions; the alerts, reply and
     * Connect topics with fewer) and the grants for names under {@code prefix}, in front of {@code upstream}.
     */
    static SecuredDeployment start(Path folder, TestSchemaRegistry upstream, String prefix) {
        List<String> users = PRINCIPALS.stream().map(IngestGrants::userName).toList();
        IngestGrants grants = IngestGrants.of(IngestGrants.Names.DEFAULTS.withPrefix(prefix));
        ScramSslKafka kafka = ScramSslKafka.start(directory(folder, "kafka"), users);
        TlsPostgres postgres = null;
        try {
            IngestGrants.Names names = grants.names();
            IngestTopics topics = topics(names);
            topics.all().forEach(topic -> kafka.broker().createTopic(topic, 32));
            kafka.broker().createTopic(names.alerts(), 1);
            kafka.broker().createTopic(replyTopic(names), 1);
            Map<String, String> compacted = Map.of("cleanup.policy", "compact");
            names.connectTopics().forEach(topic -> kafka.broker().createTopic(topic, 1, compacted));
            grants.applyTo(kafka.broker());
            postgres = TlsPostgres.start(directory(folder, "postgres"));
            SelfSignedCertificate certificate = SelfSignedCertificate.create(directory(folder, "registry"));
            Map<String, String> passwords = new LinkedHashMap<>();
            RegistryProxy.Builder proxy = RegistryProxy.inFrontOf(upstream.url()).overHttps(certificate);
            List<String> registryUsers = new ArrayList<>(users);
            registryUsers.add(DEPLOYER);
            for (String user : registryUsers) {
                passwords.put(user, "registry-" + user + "-" + UUID.randomUUID());
                proxy.permit(user, passwords.get(user));
            }
            return new SecuredDeployment(kafka, grants, postgres, certificate, proxy.start(), Map.copyOf(passwords));
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            kafka.close();
            throw e;
        }
    }

    private static Path directory(Path folder, String name) {
        try {
            return Files.createDirectories(folder.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IngestTopics topics(IngestGrants.Names names) {
        return new IngestTopics(names.commands(), names.results(), names.events(), names.deadLetters());
    }

    /** A reply topic under the prefix the worker may write. */
    static String replyTopic(IngestGrants.Names names) {
        return names.replyTopicPrefix() + "orders";
    }

    ScramSslKafka kafka() {
        return kafka;
    }

    KafkaBroker broker() {
        return kafka.broker();
    }

    IngestGrants grants() {
        return grants;
    }

    IngestGrants.Names names() {
        return grants.names();
    }

    IngestTopics topics() {
        return topics(grants.names());
    }

    TlsPostgres postgres() {
        return postgres;
    }

    String registryUrl() {
        return registry.url();
    }

    /** The Kafka client properties of {@code principal}, bootstrap servers included. */
    Map<String, Object> kafkaProperties(String principal) {
        Map<String, Object> properties = new HashMap<>(kafka.clientConfig(IngestGrants.userName(principal)));
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return properties;
    }

    /** {@code --kafka property=value} flags that log in as {@code principal}'s user. */
    List<String> kafkaFlags(String principal) {
        return kafkaFlags(principal, kafka.password(IngestGrants.userName(principal)));
    }

    /** As {@link #kafkaFlags(String)}, with {@code password}, right or wrong. */
    List<String> kafkaFlags(String principal, String password) {
        List<String> flags = new ArrayList<>();
        kafka.clientConfig(IngestGrants.userName(principal), password).forEach((property, value) -> {
            flags.add("--kafka");
            flags.add(property + "=" + value);
        });
        return flags;
    }

    /** The registry flags of {@code user}: the proxy's URL, its credentials and the trust store. */
    List<String> registryFlags(String user) {
        return registryFlags(user, registryPassword(user));
    }

    /** As {@link #registryFlags(String)}, with {@code password}, right or wrong. */
    List<String> registryFlags(String user, String password) {
        return List.of("--registry-url", registry.url(), "--registry-basic-auth", user + ":" + password,
                "--registry-truststore", registryCertificate.trustStore().toString(),
                "--registry-truststore-password", registryCertificate.password());
    }

    /** A registry client logging in as {@code user} over the proxy's TLS. */
    SchemaRegistryClient registryClient(String user) {
        return new SchemaRegistryClient(registrySettings(user));
    }

    RegistrySettings registrySettings(String user) {
        return RegistrySettings.of(registry.url()).withBasicAuth(user + ":" + registryPassword(user))
                .withTrustStore(registryCertificate.trustStore(), registryCertificate.password(), "PKCS12");
    }

    /** The configuration of an {@link EventRecordTextConverter} that logs in to the registry as {@code user}. */
    Map<String, String> registryConverterConfig(String user) {
        return Map.of(EventRecordTextConverter.URL, registry.url(), EventRecordTextConverter.BASIC_AUTH,
                user + ":" + registryPassword(user), EventRecordTextConverter.TRUST_STORE,
                registryCertificate.trustStore().toString(), EventRecordTextConverter.TRUST_STORE_PASSWORD,
                registryCertificate.password());
    }

    private String registryPassword(String user) {
        return registryPasswords.get(user);
    }

    /** Every record of {@code topic} now, read as {@code principal} without a group from the start. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, String principal) {
        return records(topic, kafkaProperties(principal));
    }

    /** As {@link #records(String, String)}, read as the admin, who may read any topic. */
    List<ConsumerRecord<byte[], byte[]>> recordsAsAdmin(String topic) {
        Map<String, Object> properties = new HashMap<>(kafka.adminConfig());
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return records(topic, properties);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, Map<String, Object> kafka) {
        return TopicRecords.of(kafka, topic);
    }

    /** The README's SQL block of the worker role's grants ("PostgreSQL: TLS and two roles"), without its fences. */
    static String readmeDatabaseGrants() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(DATABASE_GRANTS_HEADING);
        if (start < 0) {
            throw new IllegalStateException("The README has no block starting with " + DATABASE_GRANTS_HEADING);
        }
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** The settings of {@code ingest run} as the worker's principal and database role, flags without {@code --}. */
    Map<String, String> workerSettings(String workerId, int metricsPort) {
        Map<String, String> settings = WorkerRunSettings.of(kafka.bootstrapServers(), postgres.jdbcUrl(),
                registry.url(), topics(), workerId, grants.names().workerGroup(), metricsPort);
        settings.put("db-user", TlsPostgres.WORKER);
        settings.put("db-password", postgres.worker().password());
        settings.put("migrate", "false");
        settings.put("auto-register-schemas", "false");
        String user = IngestGrants.userName(IngestGrants.WORKER);
        settings.put("registry-basic-auth", user + ":" + registryPassword(user));
        settings.put("registry-truststore", registryCertificate.trustStore().toString());
        settings.put("registry-truststore-password", registryCertificate.password());
        return settings;
    }

    /**
     * Every secret the deployment was given: the SCRAM passwords and JAAS configurations, the broker's store
     * passwords, the registry's basic-auth pairs (as given and as their header's base64) and trust store password,
     * the database roles' passwords.
     */
    Set<String> secrets() {
        Set<String> secrets = new HashSet<>(kafka.secrets());
        registryPasswords.forEach((user, password) -> {
            String pair = user + ":" + password;
            secrets.add(password);
            secrets.add(pair);
            secrets.add(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        });
        secrets.add(registryCertificate.password());
        secrets.add(postgres.owner().password());
        secrets.add(postgres.worker().password());
        return Set.copyOf(secrets);
    }

    @Override
    public void close() {
        registry.close();
        postgres.close();
        kafka.close();
    }
}
