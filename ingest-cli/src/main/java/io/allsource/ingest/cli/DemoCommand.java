package io.allsource.ingest.cli;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A realistic load against the running pipeline: commands over a set of streams, some of them deliberately conflicting,
 * sent with a bounded number in flight; then a summary of outcomes, throughput and latency (send to result).
 */
@picocli.CommandLine.Command(name = "demo", description = "Send a load with conflicts and summarise the outcomes,"
        + " throughput and latency percentiles")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--commands", paramLabel = "N", defaultValue = "2000", description = "Commands to send")
    int commands;

    @Option(names = "--streams", paramLabel = "M", defaultValue = "200", description = "Streams to spread them over")
    int streams;

    @Option(names = "--conflict-rate", paramLabel = "R", defaultValue = "0.05",
            description = "Share of commands expecting no stream where one exists (conflicts)")
    double conflictRate;

    @Option(names = "--in-flight", paramLabel = "K", defaultValue = "256", description = "Most commands awaiting results")
    int inFlight;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (commands <= 0 || streams <= 0 || conflictRate < 0 || conflictRate > 1 || inFlight <= 0) {
            throw new UserError("--commands, --streams and --in-flight must be positive, --conflict-rate in [0, 1]");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        Semaphore window = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        try (IngestClient client = ClientOptions.client(connection, Duration.ofSeconds(60))) {
            for (int i = 0; i < commands; i++) {
                window.acquire();
                long sentAt = System.nanoTime();
                client.append(command(run, i)).whenComplete((result, failure) -> {
                    latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1_000));
                    outcomes.computeIfAbsent(label(result, failure), key -> new AtomicLong()).incrementAndGet();
                    done.incrementAndGet();
                    window.release();
                });
                if (i % 50 == 0) {
                    drawProgress(progress, done.get());
                }
            }
            window.acquire(inFlight);
            drawProgress(progress, done.get());
            progress.println();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summarise(out, outcomes, latency, seconds);
        return outcomes.keySet().stream().anyMatch(label -> label.startsWith("ERROR")) ? 1 : 0;
    }

    private Command command(String run, int index) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String stream = "demo-" + run + "-" + random.nextInt(streams);
        boolean conflict = index >= streams && random.nextDouble() < conflictRate;
        Append append = Append.to(stream);
        append = conflict ? append.expectingNoStream() : append.expectingAny();
        return Command.of("demo").append(append.event("DemoHappened", stream,
                "{\"index\": " + index + ", \"run\": \"" + run + "\"}"));
    }

    private static String label(CommandResult result, Throwable failure) {
        if (failure != null) {
            return "ERROR " + failure.getClass().getSimpleName();
        }
        return result.getStatus() == CommandStatus.ACCEPTED ? "ACCEPTED"
                : "REJECTED " + AppendSubcommand.reasonOf(result);
    }

    private void drawProgress(PrintWriter progress, long done) {
        int width = 40;
        int filled = (int) (width * done / commands);
        progress.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + commands);
        progress.flush();
    }

    private void summarise(PrintWriter out, Map<String, AtomicLong> outcomes, Histogram latency, double seconds) {
        out.println("Sent " + commands + " commands over " + streams + " streams in " + String.format("%.1f", seconds)
                + " s: " + String.format("%.0f", commands / seconds) + " commands/s");
        Table table = new Table("outcome", "commands");
        new TreeMap<>(outcomes).forEach((label, count) -> table.row(label, Long.toString(count.get())));
        table.print(out);
        out.println();
        Table percentiles = new Table("latency (send to result)", "ms");
        for (double percentile : new double[] {50, 95, 99, 99.9}) {
            percentiles.row("p" + (percentile % 1 == 0 ? Integer.toString((int) percentile) : percentile),
                    String.format("%.1f", latency.getValueAtPercentile(percentile) / 1000.0));
        }
        percentiles.row("max", String.format("%.1f", latency.getMaxValue() / 1000.0));
        percentiles.print(out);
        out.flush();
    }
}
