package io.allsource.ingest.monitoring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus's {@code promtool} (Debian package {@code prometheus}) when it is on the PATH. */
final class Promtool {

    /** What one run printed (stdout and stderr together) and its exit status. */
    record Run(int exitStatus, String output) {
    }

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    static Optional<Promtool> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Promtool(candidate));
            }
        }
        return Optional.empty();
    }

    /** Runs {@code promtool <arguments>} in {@code folder}, for at most a minute. */
    Run run(Path folder, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", arguments) + " ran for over a minute");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
