package io.allsource.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Records handed to the producer for one committed batch, whose acknowledgements are checked later so that the worker
 * can go on with other partitions meanwhile. Used by one thread.
 */
public final class Publication {

    private final String what;
    private final List<Future<RecordMetadata>> sends;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong answeredNanos = new AtomicLong();

    Publication(String what) {
        this.what = what;
        this.sends = new ArrayList<>();
    }

    /** Sends {@code record} as part of this publication, noting when the broker answers. */
    void send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        sends.add(producer.send(record, (metadata, failure) ->
                answeredNanos.accumulateAndGet(System.nanoTime(), Math::max)));
    }

    /** Whether the broker has answered for every record (acknowledged or failed). */
    public boolean isDone() {
        for (Future<RecordMetadata> send : sends) {
            if (!send.isDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until the broker has acknowledged every record, at most {@code timeout}.
     *
     * @throws PublishException when a record failed or was not acknowledged in time
     */
    public void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new PublishException("Publishing to " + what + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new PublishException("Publishing to " + what + " was not acknowledged within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("Interrupted while publishing to " + what, e);
            }
        }
    }

    /** From the first send to the broker's last answer (to now, while it has not answered). */
    public long elapsedNanos() {
        long answered = answeredNanos.get();
        return (isDone() && answered > 0 ? answered : System.nanoTime()) - startedNanos;
    }
}
