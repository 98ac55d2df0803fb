package io.allsource.ingest.cli;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseConnectionCheck;
import io.allsource.ingest.store.DatabaseRefusedException;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a subcommand finds the pipeline: the flags, else the {@code INGEST_...} variables, else the endpoints that
 * {@code ingest run} wrote to {@code .ingest/endpoints.properties}. How it logs in (Kafka client properties, the
 * registry's credentials and trust store) comes from the flags and the variables only, as the worker's do.
 */
final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL (Confluent API)")
    String registryUrl;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "PostgreSQL JDBC URL")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "PostgreSQL user")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "PostgreSQL password")
    String dbPassword;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where ingest run keeps its data (default ./.ingest)")
    Path dataDirectory;

    @Option(names = "--kafka", paramLabel = "PROPERTY=VALUE", description = "A Kafka client property, such as"
            + " security.protocol=SASL_SSL; repeat for more (or INGEST_KAFKA_<PROPERTY>, _ for .)")
    Map<String, String> kafka;

    @Option(names = "--registry-basic-auth", paramLabel = "USER:PASSWORD",
            description = "Schema registry credentials (or INGEST_REGISTRY_BASIC_AUTH)")
    String registryBasicAuth;

    @Option(names = "--registry-truststore", paramLabel = "FILE",
            description = "Trust store for the registry's TLS certificate (or INGEST_REGISTRY_TRUSTSTORE)")
    Path registryTrustStore;

    @Option(names = "--registry-truststore-password", paramLabel = "PASSWORD",
            description = "Password of the registry trust store (or INGEST_REGISTRY_TRUSTSTORE_PASSWORD)")
    String registryTrustStorePassword;

    @Option(names = "--registry-truststore-type", paramLabel = "TYPE",
            description = "Type of the registry trust store, PKCS12 (default) or JKS (or"
                    + " INGEST_REGISTRY_TRUSTSTORE_TYPE)")
    String registryTrustStoreType;

    private static final String KAFKA_VARIABLE_PREFIX = "INGEST_KAFKA_";

    private Map<String, String> environment = System.getenv();
    private Optional<Endpoints> endpoints;

    ConnectionOptions environment(Map<String, String> variables) {
        this.environment = variables;
        return this;
    }

    Path dataDirectory() {
        if (dataDirectory != null) {
            return dataDirectory;
        }
        String fromEnvironment = environment.get("INGEST_DATA");
        return Path.of(fromEnvironment != null ? fromEnvironment : ".ingest");
    }

    String bootstrapServers() {
        return pick(bootstrapServers, "INGEST_BOOTSTRAP_SERVERS", endpoints().map(Endpoints::bootstrapServers));
    }

    String registryUrl() {
        return pick(registryUrl, "INGEST_REGISTRY_URL", endpoints().map(Endpoints::registryUrl));
    }

    String dbUrl() {
        return pick(dbUrl, "INGEST_DB_URL", endpoints().map(Endpoints::jdbcUrl));
    }

    /**
     * The Kafka client properties: {@code bootstrap.servers} and those passed through, from {@code INGEST_KAFKA_...}
     * variables and, winning over them, {@code --kafka} flags.
     */
    Map<String, Object> kafkaProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(KAFKA_VARIABLE_PREFIX) && variable.length() > KAFKA_VARIABLE_PREFIX.length()) {
                properties.put(variable.substring(KAFKA_VARIABLE_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.'), value);
            }
        });
        if (kafka != null) {
            properties.putAll(kafka);
        }
        properties.put("bootstrap.servers", bootstrapServers());
        return properties;
    }

    IngestTopics topics() {
        String prefix = endpoints().map(Endpoints::topicPrefix).orElse("");
        return prefix.isEmpty() ? IngestTopics.DEFAULT : IngestTopics.DEFAULT.withPrefix(prefix);
    }

    /** A pool on the database, after one connection made with the driver: a refusal is reported at once. */
    Database openDatabase() {
        String user = dbUser != null ? dbUser : environment.get("INGEST_DB_USER");
        String password = dbPassword != null ? dbPassword : environment.get("INGEST_DB_PASSWORD");
        DatabaseSettings settings = DatabaseSettings.of(dbUrl(), user, password);
        try {
            DatabaseConnectionCheck.check(settings);
        } catch (DatabaseRefusedException e) {
            throw new UserError(e.getMessage());
        }
        return Database.open(settings, "ingest-cli", Database.Sessions.REPORTING);
    }

    SchemaRegistryClient registry() {
        RegistrySettings settings = RegistrySettings.of(registryUrl());
        String userInfo = flagOrVariable(registryBasicAuth, "INGEST_REGISTRY_BASIC_AUTH");
        if (userInfo != null) {
            settings = settings.withBasicAuth(userInfo);
        }
        String trustStore = registryTrustStore != null ? registryTrustStore.toString()
                : flagOrVariable(null, "INGEST_REGISTRY_TRUSTSTORE");
        if (trustStore != null) {
            String type = flagOrVariable(registryTrustStoreType, "INGEST_REGISTRY_TRUSTSTORE_TYPE");
            settings = settings.withTrustStore(Path.of(trustStore),
                    flagOrVariable(registryTrustStorePassword, "INGEST_REGISTRY_TRUSTSTORE_PASSWORD"),
                    type != null ? type : settings.trustStoreType());
        }
        return new SchemaRegistryClient(settings);
    }

    private String flagOrVariable(String flag, String variable) {
        if (flag != null) {
            return flag;
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    /** The endpoints file, read once per command (it does not change while a command runs). */
    private Optional<Endpoints> endpoints() {
        if (endpoints == null) {
            endpoints = Endpoints.read(dataDirectory());
        }
        return endpoints;
    }

    private String pick(String flag, String variable, Optional<String> fromEndpoints) {
        if (flag != null) {
            return flag;
        }
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return fromEndpoints.orElseThrow(() -> new UserError("No pipeline to talk to: start `./ingest run` first, or"
                + " give --bootstrap-servers, --registry-url and --db-url (or " + variable + ")"));
    }
}
