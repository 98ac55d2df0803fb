package io.allsource.ingest.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The line {@code ingest run} prints while the worker runs, in place of its log (which goes to a file): commands
 * applied (with the rate since the last check), lag, partitions held, readiness. Checked every interval, printed only
 * when a figure changed, so an idle pipeline stays silent:
 * {@code 13:05:10  1,234 commands applied (45/s): 1,200 accepted, 34 rejected; lag 0; 0 partitions held; ready}.
 * Owns one thread.
 */
final class StatusLine implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** The figures of one check. */
    record Figures(double accepted, double rejected, double duplicate, double lag, int lagUnknown, int held,
            String readiness) {

        double applied() {
            return accepted + rejected + duplicate;
        }

        /** Whether the line would say the same (the rate aside). */
        boolean sameAs(Figures other) {
            return other != null && applied() == other.applied() && lag == other.lag
                    && lagUnknown == other.lagUnknown && held == other.held && readiness.equals(other.readiness);
        }
    }

    private final MeterRegistry meters;
    private final Supplier<List<String>> notReady;
    private final PrintWriter out;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private Figures last;
    private long lastMillis;

    private StatusLine(MeterRegistry meters, Supplier<List<String>> notReady, PrintWriter out, Clock clock,
            ScheduledExecutorService scheduler) {
        this.meters = meters;
        this.notReady = notReady;
        this.out = out;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * Starts checking every {@code every}.
     *
     * @param meters   the worker's meters
     * @param notReady why the worker is not ready, one line each (empty when it is)
     */
    static StatusLine start(MeterRegistry meters, Supplier<List<String>> notReady, PrintWriter out, Duration every) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-status-line");
            thread.setDaemon(true);
            return thread;
        });
        StatusLine line = new StatusLine(meters, notReady, out, Clock.systemDefaultZone(), scheduler);
        scheduler.scheduleWithFixedDelay(line::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return line;
    }

    /** A line without a thread of its own, checked by the caller: for tests. */
    static StatusLine manual(MeterRegistry meters, Supplier<List<String>> notReady, PrintWriter out, Clock clock) {
        return new StatusLine(meters, notReady, out, clock, null);
    }

    /** Reads the figures and prints a line when any changed since the last check. */
    synchronized void check() {
        Figures now = figures();
        long nowMillis = clock.millis();
        if (!now.sameAs(last)) {
            double seconds = last == null ? 0 : (nowMillis - lastMillis) / 1000.0;
            out.println(format(now, last == null || seconds <= 0 ? -1 : (now.applied() - last.applied()) / seconds));
            out.flush();
        }
        last = now;
        lastMillis = nowMillis;
    }

    Figures figures() {
        double accepted = 0;
        double rejected = 0;
        double duplicate = 0;
        for (Counter counter : meters.find("ingest.commands.applied").counters()) {
            String outcome = counter.getId().getTag("outcome");
            if ("accepted".equals(outcome)) {
                accepted += counter.count();
            } else if ("rejected".equals(outcome)) {
                rejected += counter.count();
            } else {
                duplicate += counter.count();
            }
        }
        double lag = 0;
        int lagUnknown = 0;
        for (Gauge gauge : meters.find("ingest.partition.lag").gauges()) {
            double value = gauge.value();
            if (Double.isNaN(value)) {
                lagUnknown++;
            } else {
                lag += value;
            }
        }
        int held = 0;
        for (Gauge gauge : meters.find("ingest.partition.held").gauges()) {
            held += gauge.value() == 1 ? 1 : 0;
        }
        List<String> reasons = notReady.get();
        return new Figures(accepted, rejected, duplicate, lag, lagUnknown, held,
                reasons.isEmpty() ? "ready" : "NOT READY: " + reasons.get(0));
    }

    private String format(Figures figures, double perSecond) {
        StringBuilder line = new StringBuilder(LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME))
                .append("  ").append(count(figures.applied())).append(" commands applied");
        if (perSecond >= 0) {
            line.append(" (").append(count(perSecond)).append("/s)");
        }
        line.append(": ").append(count(figures.accepted())).append(" accepted, ")
                .append(count(figures.rejected())).append(" rejected");
        if (figures.duplicate() > 0) {
            line.append(", ").append(count(figures.duplicate())).append(" duplicates");
        }
        line.append("; lag ").append(count(figures.lag()));
        if (figures.lagUnknown() > 0) {
            line.append(" (").append(figures.lagUnknown()).append(" partitions unknown)");
        }
        line.append("; ").append(figures.held()).append(figures.held() == 1 ? " partition" : " partitions")
                .append(" held; ").append(figures.readiness());
        return line.toString();
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
