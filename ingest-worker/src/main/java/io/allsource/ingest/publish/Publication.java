package io.allsource.ingest.publish;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.kafka.KafkaAccess;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.trace.TraceHeaders;
import io.allsource.ingest.trace.TraceLog;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records handed to the producer for one committed batch, whose acknowledgements are checked later so that the worker
 * can go on with other partitions meanwhile. A result sent to a reply topic carries its fallback: when the broker
 * refuses that record or that topic for good ({@link FailureKind#PERMANENT_FOR_RECORD} or {@link FailureKind#FATAL}:
 * too large for the topic, a compacted topic and no key, not authorized), the result goes to the results topic
 * instead, with {@code ingest-reply-error} saying what was refused, possibly after results of later commands: the
 * broker's exception ({@code the broker refused the result for reply topic T: RecordTooLargeException: ...}), or for
 * an authorization error the operation and the topic ({@code the broker refused WRITE on topic 'T' (sending a result
 * to its reply topic)}). Used by one thread.
 */
public final class Publication {

    private static final Logger log = LoggerFactory.getLogger(Publication.class);

    private final String what;
    private final Producer<byte[], byte[]> producer;
    private final List<Send> sends = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private final AtomicLong answeredNanos = new AtomicLong();

    /** One record handed over, with the record to send instead when the broker refuses it for good (or null). */
    private record Send(ProducerRecord<byte[], byte[]> record, ProducerRecord<byte[], byte[]> fallback,
            Future<RecordMetadata> answer) {
    }

    Publication(String what, Producer<byte[], byte[]> producer) {
        this.what = what;
        this.producer = producer;
    }

    /** Sends {@code record} as part of this publication, noting when the broker answers. */
    void send(ProducerRecord<byte[], byte[]> record) {
        send(record, null);
    }

    /** Sends {@code record}, to be replaced by {@code fallback} if the broker refuses it for good. */
    void send(ProducerRecord<byte[], byte[]> record, ProducerRecord<byte[], byte[]> fallback) {
        sends.add(new Send(record, fallback, producer.send(record, (metadata, failure) ->
                answeredNanos.accumulateAndGet(System.nanoTime(), Math::max))));
    }

    /** Whether the broker has answered for every record (acknowledged or failed). */
    public boolean isDone() {
        for (Send send : sends) {
            if (!send.answer().isDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until the broker has acknowledged every record, at most {@code timeout}, sending the fallback of each
     * refused reply and waiting for it too.
     *
     * @throws PublishException when a record failed (and had no fallback, or the failure may pass) or was not
     *                          acknowledged in time; its cause is the broker's error
     */
    public void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> fallbacks = new ArrayList<>();
        for (Send send : sends) {
            Throwable refusal = failureOf(send.answer(), deadline, timeout);
            if (refusal == null) {
                continue;
            }
            if (send.fallback() == null || FailureClassifier.classify(refusal) == FailureKind.TRANSIENT) {
                throw new PublishException("Publishing to " + what + " failed: " + refusal, refusal);
            }
            try (TraceLog.Scope scope = TraceLog.command(TraceHeaders.read(send.record().headers()))) {
                log.warn("{}: the broker refused the result for reply topic {} ({}); sending it to {} instead", what,
                        send.record().topic(), refusal.toString(), send.fallback().topic());
            }
            fallbacks.add(producer.send(withReplyError(send, refusal)));
        }
        for (Future<RecordMetadata> fallback : fallbacks) {
            Throwable failure = failureOf(fallback, deadline, timeout);
            if (failure != null) {
                throw new PublishException("Publishing to " + what + " failed: " + failure, failure);
            }
        }
    }

    private ProducerRecord<byte[], byte[]> withReplyError(Send send, Throwable refusal) {
        ProducerRecord<byte[], byte[]> fallback = send.fallback();
        fallback.headers().remove(IngestHeaders.REPLY_ERROR);
        fallback.headers().add(IngestHeaders.REPLY_ERROR, replyError(send.record().topic(), refusal)
                .getBytes(StandardCharsets.UTF_8));
        return fallback;
    }

    /** What {@code ingest-reply-error} says of a result the reply topic refused. */
    static String replyError(String replyTopic, Throwable refusal) {
        return KafkaAccess.of("sending a result to its reply topic")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, replyTopic, "sending a result to its reply topic")
                .refusal(refusal).orElseGet(() -> "the broker refused the result for reply topic " + replyTopic
                        + ": " + refusal.getClass().getSimpleName() + ": " + refusal.getMessage());
    }

    /** The broker's error for {@code answer}, null once it is acknowledged. */
    private Throwable failureOf(Future<RecordMetadata> answer, long deadline, Duration timeout) {
        try {
            answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new PublishException("Publishing to " + what + " was not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted while publishing to " + what, e);
        }
    }

    /** From the first send to the broker's last answer (to now, while it has not answered). */
    public long elapsedNanos() {
        long answered = answeredNanos.get();
        return (isDone() && answered > 0 ? answered : System.nanoTime()) - startedNanos;
    }
}
