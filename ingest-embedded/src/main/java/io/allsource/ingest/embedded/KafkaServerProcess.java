package io.allsource.ingest.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (Apache Kafka's own server classes, {@code kafka.Kafka}) in a child JVM,
 * listening on 127.0.0.1 only, keeping its data in a folder so that a restart finds every topic and record again. The
 * folder is formatted on first start. Stopped by {@link #close()}, which its owner
 * calls in order with the rest of what it runs.
 */
public final class KafkaServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServerProcess.class);
    /**
     * The heap and collector Kafka's own start script gives a broker (kafka-run-class.sh's defaults). The serial
     * collector this used before paused the broker for 18 to 93 ms five times in 25 s at a quarter of the benchmark's
     * load: every command and every result waited behind those pauses.
     */
    private static final String[] BROKER_JVM_OPTIONS = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent"};
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaServerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker on {@code port} (clients) and {@code controllerPort} (its KRaft controller), formatting
     * {@code dataDirectory} first when it holds no cluster yet, and waits until it answers.
     *
     * @param classpath a class path holding {@code kafka_2.13} and its dependencies (this JVM's, normally)
     */
    public static KafkaServerProcess start(Path dataDirectory, int port, int controllerPort, Path java,
            String classpath, Duration startTimeout) {
        try {
            Path logs = Files.createDirectories(dataDirectory.resolve("logs"));
            Path config = dataDirectory.resolve("server.properties");
            Files.writeString(config, serverProperties(logs, port, controllerPort));
            Path output = dataDirectory.resolve("server.log");
            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(java, classpath, config, output);
            }
            Process process = ChildJvm.of("kafka.Kafka").java(java).classpath(classpath)
                    .jvmOptions(BROKER_JVM_OPTIONS).arguments(config.toString()).logFile(output).start();
            KafkaServerProcess server = new KafkaServerProcess(process, "127.0.0.1:" + port);
            server.awaitReady(startTimeout, output);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker in " + dataDirectory, e);
        }
    }

    static String serverProperties(Path logs, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logs.toAbsolutePath(),
                "num.partitions=32",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=8",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    private static void format(Path java, String classpath, Path config, Path output) {
        Process format = ChildJvm.of("kafka.tools.StorageTool").java(java).classpath(classpath)
                .arguments("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()).logFile(output)
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Formatting the Kafka data folder failed; see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting the Kafka data folder", e);
        }
    }

    private void awaitReady(Duration timeout, Path output) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with status " + process.exitValue()
                            + " while starting; see " + output);
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    log.info("Kafka broker answering at {}", bootstrapServers);
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("Kafka broker not ready yet: {}", e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException("The Kafka broker did not answer at " + bootstrapServers + " within "
                + timeout + "; see " + output);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The child process, for its owner to record so that a later run can stop it if this one was killed. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM), forcibly after 30 s. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        ChildProcesses.stop(process, "Kafka broker", STOP_TIMEOUT);
    }
}
