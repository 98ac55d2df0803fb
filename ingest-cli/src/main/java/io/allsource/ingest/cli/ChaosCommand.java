package io.allsource.ingest.cli;

import io.allsource.ingest.chaos.ChaosReport;
import io.allsource.ingest.chaos.ChaosRun;
import io.allsource.ingest.chaos.ChaosSettings;
import io.allsource.ingest.chaos.HostileKind;
import io.allsource.ingest.chaos.HostileMix;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The chaos soak: its own PostgreSQL, broker and registry, workers as child JVMs, a load with conflicts and hostile
 * records, faults at random moments, then the audit. Exit status 1 when any invariant fails or a partition stalls.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, description = "Soak the pipeline under faults (kills, pauses,"
        + " restarts, timeouts) and hostile input on servers of its own, then check every invariant; exit status 1 on a"
        + " violation")
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--minutes", required = true, paramLabel = "N",
            description = "How long the load runs with faults injected (decimals allowed: 0.5)")
    double minutes;

    @Option(names = "--seed", paramLabel = "SEED", description = "Draws the fault schedule; the same seed gives the"
            + " same schedule (default: a random one, printed)")
    Long seed;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "150",
            description = "Records per second, hostile ones included (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--hostile-rate", paramLabel = "SHARE", defaultValue = "0.02",
            description = "Share of the records sent that are hostile, 0 to 0.5 (default ${DEFAULT-VALUE})")
    double hostileRate;

    @Option(names = "--hostile-kinds", paramLabel = "LIST", defaultValue = "all",
            description = "Hostile kinds to send, by letter or name: a not-wire-format, b tombstone, c huge-jsonb,"
                    + " d reply-to-events-topic, e reply-to-missing-topic, f binary-correlation-id,"
                    + " g upper-case-resend, h invalid-utf8-stream-id, i nul-in-payload (default ${DEFAULT-VALUE})")
    String hostileKinds;

    @Option(names = "--chaos-dir", paramLabel = "DIR", description = "Where the soak's servers keep their data and"
            + " logs (default: a fresh temporary folder, deleted afterwards unless --keep-data)")
    Path directory;

    @Option(names = "--keep-data", description = "Keep the data and logs of the soak")
    boolean keepData;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new UserError("--minutes must be more than 0 and at most 1440, not " + minutes);
        }
        if (rate < 1 || rate > 10_000) {
            throw new UserError("--rate must be 1 to 10000 commands per second, not " + rate);
        }
        HostileMix hostile = hostileMix();
        if (directory != null && isNonEmptyDirectory(directory)) {
            throw new UserError("--chaos-dir " + directory + " is not empty: a soak starts its servers on fresh data;"
                    + " name a new or empty folder");
        }
        quietKafkaClients();
        PrintWriter out = spec.commandLine().getOut();
        long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1_000_000);
        Path data = directory != null ? directory : temporaryDirectory();
        out.println("Chaos soak, seed " + chosenSeed + " (repeat the schedule with --seed " + chosenSeed + ")");
        out.flush();
        try {
            ChaosSettings settings = ChaosSettings.of(Duration.ofMillis(Math.round(minutes * 60_000)), chosenSeed,
                    data, IngestMain.home().resolve("schema-registry")).withRate(rate).withHostile(hostile);
            ChaosReport report = ChaosRun.run(settings, line -> {
                out.println(line);
                out.flush();
            });
            out.println();
            report.lines().forEach(out::println);
            out.flush();
            return report.holds() ? 0 : 1;
        } finally {
            if (keepData || directory != null) {
                out.println("Data and logs of the soak: " + data);
            } else {
                delete(data);
            }
            out.flush();
        }
    }

    private HostileMix hostileMix() {
        if (!(hostileRate >= 0 && hostileRate <= 0.5)) {
            throw new UserError("--hostile-rate must be 0 to 0.5, not " + hostileRate);
        }
        if (hostileRate == 0) {
            return HostileMix.NONE;
        }
        try {
            return new HostileMix(hostileRate, HostileKind.parse(hostileKinds));
        } catch (IllegalArgumentException e) {
            throw new UserError("--hostile-kinds: " + e.getMessage());
        }
    }

    /** The soak makes the broker go away on purpose: its clients' retry warnings would drown the progress lines. */
    private static void quietKafkaClients() {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka) {
            kafka.setLevel(Level.ERROR);
        }
    }

    private static boolean isNonEmptyDirectory(Path path) {
        if (!Files.isDirectory(path)) {
            return Files.exists(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read --chaos-dir " + path, e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ingest-chaos-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the soak", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            LoggerFactory.getLogger(ChaosCommand.class).warn("Could not delete the soak's folder {}: {}", directory,
                    e.getMessage());
        }
    }
}
