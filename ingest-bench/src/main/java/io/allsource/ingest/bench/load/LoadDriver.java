package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.client.IngestClient;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one workload's commands through an {@link IngestClient} and records each outcome. The closed loop keeps a
 * bounded window of commands in flight and sends the next as soon as one completes (the maximum rate). The open loop
 * sends at a fixed rate on a schedule fixed in advance and measures every latency from the command's <em>intended</em>
 * send time, so a stall of the pipeline or of the sender shows in the latencies of every command it delayed (no
 * coordinated omission). Not thread-safe: one phase at a time, from one thread.
 */
public final class LoadDriver {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    private final IngestClient client;
    private final CommandGenerator generator;
    private final Duration resultTimeout;

    public LoadDriver(IngestClient client, CommandGenerator generator, Duration resultTimeout) {
        this.client = client;
        this.generator = generator;
        this.resultTimeout = resultTimeout;
    }

    /** Sends for {@code duration} with at most {@code inFlight} commands awaiting results, then awaits them all. */
    public PhaseFigures closedLoop(String phase, Duration duration, int inFlight) throws InterruptedException {
        PhaseRecorder recorder = new PhaseRecorder();
        Semaphore window = new Semaphore(inFlight);
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        while (System.nanoTime() < end) {
            window.acquire();
            send(System.nanoTime(), recorder, window);
        }
        awaitPermits(window, inFlight, phase);
        return recorder.figures(phase, 0, started);
    }

    /** Sends {@code commandsPerSecond} for {@code duration} on a fixed schedule, then awaits every result. */
    public PhaseFigures openLoop(String phase, double commandsPerSecond, Duration duration)
            throws InterruptedException {
        PhaseRecorder recorder = new PhaseRecorder();
        Semaphore completed = new Semaphore(0);
        long count = Math.max(1, Math.round(commandsPerSecond * duration.toNanos() / 1e9));
        double interval = 1e9 / commandsPerSecond;
        long started = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long intended = started + (long) (i * interval);
            for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            send(intended, recorder, completed);
        }
        awaitPermits(completed, count, phase);
        return recorder.figures(phase, commandsPerSecond, started);
    }

    private void send(long intendedNanos, PhaseRecorder recorder, Semaphore done) {
        AppendCommand command = generator.next();
        try {
            client.append(command, resultTimeout).whenComplete((result, failure) -> {
                if (result != null) {
                    generator.observe(result);
                }
                recorder.record(intendedNanos, result, failure);
                done.release();
            });
        } catch (RuntimeException e) {
            recorder.record(intendedNanos, null, e);
            done.release();
        }
    }

    private void awaitPermits(Semaphore semaphore, long permits, String phase) throws InterruptedException {
        long timeout = resultTimeout.toMillis() + 5_000;
        for (long remaining = permits; remaining > 0; ) {
            int chunk = (int) Math.min(remaining, Integer.MAX_VALUE);
            if (!semaphore.tryAcquire(chunk, timeout, TimeUnit.MILLISECONDS)) {
                log.warn("Phase {}: outcomes still missing after {} ms; the client's timeout should have ended them",
                        phase, timeout);
                return;
            }
            remaining -= chunk;
        }
    }
}
