package io.allsource.ingest.docker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One of the repository's compose files ({@code docker-compose.yml}, {@code docker-compose.secured.yml}) started with
 * {@code docker-compose} 1.29 under a project name of its own, on the local images (the variables of
 * {@code docker/local-images.env}, given as the process's environment) and on free host ports bound to 127.0.0.1, so
 * that it runs beside any other stack. Each command's output goes to {@code target/docker-stack/<project>.log}. Not
 * thread-safe: one test class drives it.
 */
final class ComposeStack implements AutoCloseable {

    /** The images docker/build-images.sh makes and docker/local-images.env names. */
    static final List<String> LOCAL_IMAGES = List.of("allsource-ingest/kafka:local", "allsource-ingest/postgres:local",
            "allsource-ingest/registry:local", "allsource-ingest/worker:local", "allsource-ingest/connect:local");

    /** The further images docker-compose.secured.yml uses (docker/build-images.sh nginx cli). */
    static final List<String> SECURED_IMAGES = List.of("allsource-ingest/jre:local", "allsource-ingest/nginx:local",
            "allsource-ingest/cli:local");

    private final Path root;
    private final String composeFile;
    private final String envFile;
    private final String project = "asi-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Path log;

    /**
     * @param composeFile the compose file, relative to the repository's root
     * @param envFile     the file of variables given to {@code --env-file} (the secured stack's passwords), relative
     *                    to the root; the local images' variables are set in the environment either way
     */
    ComposeStack(Path root, String composeFile, String envFile) {
        this.root = root;
        this.composeFile = composeFile;
        this.envFile = envFile;
        for (String variable : List.of("KAFKA_HOST_PORT", "POSTGRES_HOST_PORT", "REGISTRY_HOST_PORT",
                "WORKER_HOST_PORT", "CONNECT_HOST_PORT")) {
            ports.put(variable, freePort());
        }
        this.log = root.resolve("ingest-docker-it/target/docker-stack/" + project + ".log");
    }

    String project() {
        return project;
    }

    int kafkaPort() {
        return ports.get("KAFKA_HOST_PORT");
    }

    int postgresPort() {
        return ports.get("POSTGRES_HOST_PORT");
    }

    int registryPort() {
        return ports.get("REGISTRY_HOST_PORT");
    }

    int workerPort() {
        return ports.get("WORKER_HOST_PORT");
    }

    int connectPort() {
        return ports.get("CONNECT_HOST_PORT");
    }

    /** The local images that are missing from the engine (empty when all are there). */
    static List<String> missingImages(List<String> images) {
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            if (run(List.of("docker", "image", "inspect", image), Map.of(), null, Duration.ofSeconds(30)) != 0) {
                missing.add(image);
            }
        }
        return missing;
    }

    /** {@code up -d}: returns once every service is started and those others wait for are healthy. */
    void up(Duration timeout) {
        compose(timeout, "up", "-d", "--no-build");
    }

    /** {@code down -v}: removes the containers, the network and the volumes. */
    void down() {
        compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
    }

    /** {@code docker cp} of a file out of the service's container (its first one). */
    void copyFrom(String service, String path, Path target) {
        String container = project + "_" + service + "_1";
        int status = run(List.of("docker", "cp", container + ":" + path, target.toString()), Map.of(), log,
                Duration.ofMinutes(1));
        if (status != 0) {
            throw new IllegalStateException("docker cp " + container + ":" + path + " exited with " + status);
        }
    }

    /** The last lines of every service's log, into the stack's log file. */
    void captureLogs() {
        runCompose(Duration.ofMinutes(1), "logs", "--no-color", "--tail", "80");
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        down();
    }

    private void compose(Duration timeout, String... arguments) {
        int status = runCompose(timeout, arguments);
        if (status != 0) {
            throw new IllegalStateException("docker-compose " + String.join(" ", arguments) + " exited with "
                    + status + "; see " + log);
        }
    }

    private int runCompose(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--env-file",
                root.resolve(envFile).toString(), "-f", root.resolve(composeFile).toString(), "-p", project));
        command.addAll(List.of(arguments));
        Map<String, String> environment = new LinkedHashMap<>(variables(root.resolve("docker/local-images.env")));
        ports.forEach((variable, port) -> environment.put(variable, Integer.toString(port)));
        return run(command, environment, log, timeout);
    }

    private static int run(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            if (log == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            } else {
                Files.createDirectories(log.getParent());
                builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** The NAME=value lines of an env file (comments and blank lines left out). */
    static Map<String, String> variables(Path envFile) {
        Map<String, String> variables = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(envFile)) {
                int equals = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                    variables.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + envFile, e);
        }
        return variables;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        return new File(System.getProperty("ingest.repository.root", "..")).toPath().toAbsolutePath().normalize();
    }
}
