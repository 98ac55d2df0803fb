package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final Counter accepted = counter("accepted", "none");
    private final Counter rejected = counter("rejected", "CONCURRENCY_CONFLICT");
    private final AtomicLong lag = gauge("ingest.partition.lag", 0);
    private final AtomicLong nanLag = gauge("ingest.partition.lag", 1);
    private final AtomicLong held = gauge("ingest.partition.held", 1);
    private final List<String> notReady = new ArrayList<>();
    private final StringWriter printed = new StringWriter();
    private final MutableClock clock = new MutableClock();
    private final StatusLine line = StatusLine.manual(meters, () -> List.copyOf(notReady), new PrintWriter(printed),
            clock);

    @Test
    void printsTheFiguresOnceAndNothingWhileNoneChanges() {
        accepted.increment(1200);
        rejected.increment(34);

        line.check();
        clock.advance(Duration.ofSeconds(10));
        line.check();

        assertThat(lines()).singleElement().asString().endsWith(
                "  1,234 commands applied: 1,200 accepted, 34 rejected; lag 0; 0 partitions held; ready");
    }

    @Test
    void saysTheRateSinceTheLastCheckWhenCommandsWereApplied() {
        line.check();
        accepted.increment(450);
        clock.advance(Duration.ofSeconds(10));

        line.check();

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).contains("450 commands applied (45/s): 450 accepted, 0 rejected");
    }

    @Test
    void saysTheLagHeldPartitionsUnknownLagsAndWhyTheWorkerIsNotReady() {
        lag.set(17);
        nanLag.set(-1);
        held.set(1);
        notReady.add("partition 1 is held: its stored offset 40 lies beyond the log's end 12");

        line.check();

        assertThat(lines()).singleElement().asString().contains("lag 17 (1 partitions unknown); 1 partition held;"
                + " NOT READY: partition 1 is held: its stored offset 40 lies beyond the log's end 12");
    }

    @Test
    void printsAgainWhenReadinessChangesAlone() {
        line.check();
        notReady.add("the worker has stopped");
        clock.advance(Duration.ofSeconds(10));

        line.check();

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).endsWith("NOT READY: the worker has stopped");
    }

    private List<String> lines() {
        return printed.toString().lines().toList();
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder("ingest.commands.applied").tag("outcome", outcome).tag("reason", reason)
                .register(meters);
    }

    /** A gauge of partition {@code partition}; a negative value reads NaN, as the worker's lag gauge does. */
    private AtomicLong gauge(String name, int partition) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, v -> v.get() < 0 ? Double.NaN : v.get())
                .tag("partition", Integer.toString(partition)).register(meters);
        return value;
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-11-30T13:05:10Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
