package io.allsource.ingest.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry running in a child JVM, listening on the loopback interface only (HTTP and management), stopped by
 * {@link #close()}, which its owner calls in order with the rest of what it runs. Thread-safe.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryProcess.class);
    private static final String CONFLUENT_API = "/apis/ccompat/v7";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final String url;
    private final Path logFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SchemaRegistryProcess(Process process, String url, Path logFile) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
    }

    /**
     * Starts {@code distribution} on {@code port} of 127.0.0.1 and waits until its Confluent API answers.
     *
     * @param java    a {@code java} executable at least as new as the distribution needs
     * @param logFile receives the registry's output
     * @throws IllegalStateException when it does not answer within {@code startTimeout}, with the end of its log
     */
    public static SchemaRegistryProcess start(RegistryDistribution distribution, Path java, int port, Path logFile,
            Duration startTimeout) {
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + FreePorts.find(),
                "-Dquarkus.banner.enabled=false"));
        for (Map.Entry<String, String> property : distribution.properties().entrySet()) {
            command.add("-D" + property.getKey() + "=" + property.getValue());
        }
        command.addAll(List.of("-jar", distribution.launchJar().toString()));
        long started = System.nanoTime();
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .directory(distribution.launchJar().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            SchemaRegistryProcess registry =
                    new SchemaRegistryProcess(process, "http://127.0.0.1:" + port + CONFLUENT_API, logFile);
            registry.awaitReady(startTimeout);
            log.info("{} answering at {} after {} ms", distribution.description(), registry.url(),
                    (System.nanoTime() - started) / 1_000_000);
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + distribution.description(), e);
        }
    }

    /** The base URL of the Confluent-compatible API, such as {@code http://127.0.0.1:8081/apis/ccompat/v7}. */
    public String url() {
        return url;
    }

    /** The child process, for its owner to record so that a later run can stop it if this one was killed. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The schema registry exited with status " + process.exitValue()
                        + " while starting; the end of its log " + logFile + ":\n" + tailOfLog());
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                log.debug("Schema registry not ready yet: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            pause();
        }
        close();
        throw new IllegalStateException("The schema registry did not answer at " + url + " within " + timeout
                + "; the end of its log " + logFile + ":\n" + tailOfLog());
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100); // polling a child process's port: there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the registry, forcibly when it has not stopped within 10 s. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        ChildProcesses.stop(process, "schema registry", STOP_TIMEOUT);
    }
}
