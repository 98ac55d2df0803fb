package io.allsource.ingest.cli;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseConnectionCheck;
import io.allsource.ingest.store.DatabaseRefusedException;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a subcommand finds the pipeline: the flags, else the {@code INGEST_...} variables, else the endpoints that
 * {@code ingest run} wrote to {@code .ingest/endpoints.properties}.
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
        return new SchemaRegistryClient(RegistrySettings.of(registryUrl()));
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
