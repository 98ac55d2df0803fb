package io.allsource.ingest.replay;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.publish.EventRecords;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes stored events to a topic, partition by partition, each in sequence order, exactly as the worker
 * publishes them to the events topic ({@link EventRecords}: key, partition number, value format, trace headers);
 * an erased event goes as it is stored, its redacted copy. Each chunk is read by the partition-sequence index,
 * produced, and only once the broker has acknowledged all of it is the partition's progress recorded, so a run that
 * stops or fails continues after the last acknowledged chunk: at most that chunk's events are produced twice. Runs on
 * the caller's thread; {@link #stop()} may be called from any other (it ends the run after the chunk in flight).
 */
public final class Replay {

    private static final Logger log = LoggerFactory.getLogger(Replay.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ACK_TIMEOUT = Duration.ofMinutes(2);

    private final Producer<byte[], byte[]> producer;
    private final Admin admin;
    private final ReplaySource source;
    private final ReplayProgress progress;
    private final Serializer<EventRecord> serializer;
    private final IngestTopics pipelineTopics;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /**
     * @param producer       acks=all and idempotent; the caller closes it
     * @param admin          to check the target topic; the caller closes it
     * @param serializer     the events format's (the Avro one registers under {@code <target topic>-value})
     * @param pipelineTopics the pipeline's own topics, which a replay never writes
     */
    public Replay(Producer<byte[], byte[]> producer, Admin admin, ReplaySource source, ReplayProgress progress,
            Serializer<EventRecord> serializer, IngestTopics pipelineTopics) {
        this.producer = producer;
        this.admin = admin;
        this.source = source;
        this.progress = progress;
        this.serializer = serializer;
        this.pipelineTopics = pipelineTopics;
    }

    /**
     * The producer settings of a replay on top of the connection's {@code kafka} properties: every record acknowledged
     * by all in-sync replicas, idempotent (a retried send is not written twice, and order holds per partition).
     */
    public static Map<String, Object> producerProperties(Map<String, Object> kafka) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        return properties;
    }

    /** One partition's part of a run: from {@code next} through {@code last}. */
    private record Plan(int partition, long next, long last, boolean resumed) {
        long pending() {
            return Math.max(0, last - next + 1);
        }
    }

    /**
     * Replays what {@code request} asks for, through the sequences the partitions have committed when it begins.
     *
     * @throws ReplayException on bad input (naming the flag) or when the broker or the database fails; what was
     *                         acknowledged before is recorded
     */
    public ReplaySummary run(ReplayRequest request, ReplayListener listener) {
        checkTarget(request);
        List<Plan> plans = plan(request);
        long total = plans.stream().mapToLong(Plan::pending).sum();
        long budget = request.limit() > 0 ? Math.min(request.limit(), total) : total;
        Pace pace = new Pace(request.eventsPerSecond());
        long started = System.nanoTime();
        long done = 0;
        boolean complete = true;
        for (Plan plan : plans) {
            done = replay(request, plan, done, budget, pace, listener);
            complete &= progress.find(request.targetTopic(), plan.partition())
                    .map(position -> position.acknowledgedSequence() >= plan.last()).orElse(false);
        }
        String stoppedBy = complete ? null : stopRequested.get() ? "a stop" : "--limit";
        int resumed = (int) plans.stream().filter(Plan::resumed).count();
        return new ReplaySummary(request.targetTopic(), done, plans.size(), resumed,
                Duration.ofNanos(System.nanoTime() - started), complete, stoppedBy);
    }

    /** Ends the run after the chunk in flight is acknowledged and recorded. */
    public void stop() {
        stopRequested.set(true);
    }

    private long replay(ReplayRequest request, Plan plan, long doneBefore, long budget, Pace pace,
            ReplayListener listener) {
        long done = doneBefore;
        long next = plan.next();
        while (next <= plan.last() && done < budget && !stopRequested.get()) {
            int want = (int) Math.min(request.chunkSize(), Math.min(plan.last() - next + 1, budget - done));
            List<StoredEvent> chunk = source.read(plan.partition(), next, want);
            if (chunk.isEmpty()) {
                break;
            }
            long through = send(request.targetTopic(), plan.partition(), next, chunk, pace);
            progress.acknowledge(request.targetTopic(), plan.partition(), through, chunk.size());
            done += chunk.size();
            listener.acknowledged(plan.partition(), done, budget);
            next = through + 1;
        }
        return done;
    }

    /** Produces the chunk and waits until the broker has acknowledged all of it; returns its last sequence. */
    private long send(String topic, int partition, long from, List<StoredEvent> chunk, Pace pace) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(chunk.size());
        for (StoredEvent event : chunk) {
            pace.await();
            sent.add(producer.send(EventRecords.of(topic, event, serializer)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ReplayException("The broker did not acknowledge partition " + partition + "'s events from"
                    + " sequence " + from + " on " + topic + ": " + cause + "; the progress stands before them, run"
                    + " the replay again to continue", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("Interrupted while waiting for the broker's acknowledgement", e);
        }
        return chunk.get(chunk.size() - 1).partitionSequence();
    }

    private List<Plan> plan(ReplayRequest request) {
        Map<Integer, Long> last = source.lastSequences(request.partitions());
        ReplayStart start = request.startOrBeginning();
        Map<Integer, Long> since = start instanceof ReplayStart.Since s
                ? source.firstSequencesSince(s.instant(), request.partitions()) : Map.of();
        List<Plan> plans = new ArrayList<>();
        for (int partition : request.partitions()) {
            long lastSequence = last.getOrDefault(partition, 0L);
            Optional<ReplayProgress.Position> stored = request.restart() ? Optional.empty()
                    : progress.find(request.targetTopic(), partition);
            if (stored.isPresent()) {
                checkSameStart(request, partition, stored.get());
                plans.add(new Plan(partition, stored.get().acknowledgedSequence() + 1, lastSequence, true));
                continue;
            }
            long first = start instanceof ReplayStart.FromSequence from ? from.sequence()
                    : since.getOrDefault(partition, lastSequence + 1);
            progress.begin(request.targetTopic(), partition, start, first);
            plans.add(new Plan(partition, first, lastSequence, false));
        }
        log.info("Replay to {}: {}", request.targetTopic(), plans);
        return plans;
    }

    private static void checkSameStart(ReplayRequest request, int partition, ReplayProgress.Position stored) {
        if (request.start() == null || request.start().describe().equals(stored.startFrom())) {
            return;
        }
        String flag = request.start() instanceof ReplayStart.Since ? "--since" : "--from-sequence";
        throw new ReplayException(flag + ": the replay of partition " + partition + " to " + request.targetTopic()
                + " began from " + stored.startFrom() + " and is acknowledged through sequence "
                + stored.acknowledgedSequence() + "; leave " + flag + " out to continue it, or add --restart to start"
                + " over from " + request.start().describe());
    }

    private void checkTarget(ReplayRequest request) {
        String topic = request.targetTopic();
        if (pipelineTopics.all().contains(topic)) {
            throw new ReplayException("--to-topic " + topic + " is one of the pipeline's own topics: replay to a topic"
                    + " of its own");
        }
        int partitions;
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            partitions = description.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ReplayException("--to-topic " + topic + " does not exist: create it first, with 32"
                        + " partitions like the events topic (each event keeps its partition number)");
            }
            throw new ReplayException("Describing --to-topic " + topic + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ReplayException("The broker did not describe --to-topic " + topic + " within "
                    + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("Interrupted while describing --to-topic " + topic, e);
        }
        int highest = request.partitions().get(request.partitions().size() - 1);
        if (highest >= partitions) {
            throw new ReplayException("--to-topic " + topic + " has " + partitions + " partitions, so no partition "
                    + highest + ": each event keeps its partition number; give it 32 partitions like the events"
                    + " topic, or pick a --partition below " + partitions);
        }
    }

    /** Spaces sends at least one interval apart (at most the rate); a pace of 0 sends at once. Never bursts. */
    private static final class Pace {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pace(double eventsPerSecond) {
            this.intervalNanos = eventsPerSecond > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / eventsPerSecond) : 0;
        }

        void await() {
            if (intervalNanos == 0) {
                return;
            }
            long now = System.nanoTime();
            next = Math.max(next, now);
            while (next - System.nanoTime() > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
            next += intervalNanos;
        }
    }
}
