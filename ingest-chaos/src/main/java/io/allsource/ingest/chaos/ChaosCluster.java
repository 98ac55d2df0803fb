package io.allsource.ingest.chaos;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.embedded.JavaRuntimes;
import io.allsource.ingest.embedded.KafkaServerProcess;
import io.allsource.ingest.embedded.PostgresServerProcess;
import io.allsource.ingest.embedded.RegistryDistribution;
import io.allsource.ingest.embedded.SchemaRegistryProcess;
import io.allsource.ingest.embedded.Signals;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's own servers, each a child process on fixed loopback ports with its data in one folder, so that each can be
 * stopped and started again where it was: PostgreSQL, a KRaft Kafka broker, and the schema registry (Apicurio 2 in
 * memory, which is why it is only ever paused, never restarted: a new one would hand out other schema ids). Not
 * thread-safe: the fault injector is its only user while the soak runs.
 */
final class ChaosCluster implements AutoCloseable {

    static final String DATABASE = "ingest";

    private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDirectory;
    private final int postgresPort = FreePorts.find();
    private final int kafkaPort = FreePorts.find();
    private final int controllerPort = FreePorts.find();
    private SchemaRegistryProcess registry;
    private PostgresServerProcess postgres;
    private KafkaServerProcess kafka;
    private boolean registryPaused;
    private boolean closed;

    private ChaosCluster(Path dataDirectory, Path registryHome) {
        this.dataDirectory = dataDirectory;
    }

    /** Starts the three servers and creates the topics (32 partitions each). */
    static ChaosCluster start(Path dataDirectory, Path registryHome) {
        ChaosCluster cluster = new ChaosCluster(dataDirectory, registryHome);
        try {
            cluster.startPostgres();
            cluster.startKafka();
            cluster.registry = SchemaRegistryProcess.start(RegistryDistribution.apicurio2InMemory(registryHome),
                    JavaRuntimes.current(), FreePorts.find(), dataDirectory.resolve("registry.log"), START_TIMEOUT);
            cluster.createTopics();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void createTopics() {
        try (Admin admin = admin()) {
            admin.createTopics(IngestTopics.DEFAULT.all().stream()
                            .map(topic -> new NewTopic(topic, PartitionFunction.PARTITION_COUNT, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
            awaitLeaders(admin);
        } catch (ExecutionException | TimeoutException e) {
            throw new ChaosException("Could not create the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosException("Interrupted while creating the topics", e);
        }
    }

    /** Right after creation a partition may have no leader yet, and the first sends would be retried noisily. */
    private static void awaitLeaders(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean led = admin.describeTopics(IngestTopics.DEFAULT.all()).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values().stream().flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            if (led) {
                return;
            }
            Thread.sleep(100); // the broker offers no notification of a new leader: poll
        }
        throw new TimeoutException("The topics have no leader after 60 s");
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + DATABASE + "?user=postgres";
    }

    String registryUrl() {
        return registry.url();
    }

    void startPostgres() {
        postgres = PostgresServerProcess.start(dataDirectory.resolve("postgres"), postgresPort, List.of(DATABASE));
    }

    void stopPostgres() {
        postgres.close();
        log.info("PostgreSQL stopped");
    }

    void startKafka() {
        kafka = KafkaServerProcess.start(dataDirectory.resolve("kafka"), kafkaPort, controllerPort,
                JavaRuntimes.current(), System.getProperty("java.class.path"), START_TIMEOUT);
    }

    void stopKafka() {
        kafka.close();
        log.info("Kafka broker stopped");
    }

    void pauseRegistry() {
        Signals.pause(registry.processHandle());
        registryPaused = true;
        log.info("Schema registry paused (SIGSTOP)");
    }

    void resumeRegistry() {
        if (registryPaused) {
            Signals.resume(registry.processHandle());
            registryPaused = false;
            log.info("Schema registry resumed (SIGCONT)");
        }
    }

    /** Kills every session on the pipeline's database but the caller's; returns how many. */
    int terminateBackends() {
        return (int) adminQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = '" + DATABASE + "' AND pid <> pg_backend_pid()");
    }

    /** Sets the database's statement timeout for new sessions ({@code null} resets it), and ends the old ones. */
    void statementTimeout(String timeout) {
        adminQuery(timeout == null ? "ALTER DATABASE " + DATABASE + " RESET statement_timeout"
                : "ALTER DATABASE " + DATABASE + " SET statement_timeout = '" + timeout + "'");
        terminateBackends();
    }

    private long adminQuery(String sql) {
        String url = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres?user=postgres";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                return statement.getUpdateCount();
            }
            try (ResultSet row = statement.getResultSet()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new ChaosException("Statement on PostgreSQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Stops the three servers. Idempotent; also called from the soak's shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registry != null) {
            resumeRegistry();
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
