package io.allsource.ingest.cli;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.replay.Replay;
import io.allsource.ingest.replay.ReplayException;
import io.allsource.ingest.replay.ReplayRequest;
import io.allsource.ingest.replay.ReplayStart;
import io.allsource.ingest.replay.ReplaySummary;
import io.allsource.ingest.replay.ReplaySource;
import io.allsource.ingest.replay.StoredReplayProgress;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.KafkaClusterCheck;
import io.allsource.ingest.store.Database;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Republishes stored events from PostgreSQL to a topic ({@link Replay}): the flags become a {@link ReplayRequest}
 * (each problem one line naming its flag), a progress bar goes to standard error, the summary to standard output.
 * Ctrl-C ends the run after the chunk in flight, with its progress recorded.
 */
@Command(name = "replay", description = "Republish stored events from PostgreSQL to a topic, in partition-sequence"
        + " order and the events topic's format; a rerun continues where the last one stopped")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--to-topic", paramLabel = "TOPIC", required = true,
            description = "The topic to republish to; it must exist, with 32 partitions like the events topic")
    String toTopic;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition (default: all 32)")
    Integer partition;

    @Option(names = "--from-sequence", paramLabel = "N", description = "Start at this partition sequence (default 1)")
    Long fromSequence;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Start at the first event recorded at or after TIME (2024-05-01T10:00:00Z, or 2024-05-01)")
    String since;

    @Option(names = "--rate", paramLabel = "R", description = "At most R events a second (default: no limit)")
    Double rate;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events; a rerun continues")
    Long limit;

    @Option(names = "--restart", description = "Forget the stored progress to this topic and start over")
    boolean restart;

    @Option(names = "--events-format", paramLabel = "FORMAT", defaultValue = "avro",
            description = "The worker's events-format: avro (registered under <topic>-value) or json-envelope")
    String eventsFormat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReplayRequest request = request();
        EventsFormat format = format();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> kafka = connection.kafkaProperties();
        try {
            KafkaClusterCheck.connect(kafka, KafkaClusterCheck.DEFAULT_TIMEOUT).close();
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
        Serializer<EventRecord> serializer = format == EventsFormat.AVRO
                ? format.serializer(connection.registry(), true) : format.serializer(null, false);
        try (Database database = connection.openDatabase();
                Admin admin = Admin.create(kafka);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Replay.producerProperties(kafka),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            Replay replay = new Replay(producer, admin, new ReplaySource(database.dataSource()),
                    new StoredReplayProgress(database.dataSource()), serializer, connection.topics());
            ReplaySummary summary = runStoppable(replay, request, err);
            out.println(describe(summary));
            out.flush();
            return 0;
        } catch (ReplayException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The flags as a request; a problem is one line naming the flag. */
    ReplayRequest request() {
        if (fromSequence != null && since != null) {
            throw new UserError("--from-sequence and --since both give the start: give one of them");
        }
        try {
            ReplayRequest request = ReplayRequest.to(toTopic);
            if (partition != null) {
                request = request.withPartition(partition);
            }
            if (fromSequence != null) {
                request = request.withStart(new ReplayStart.FromSequence(fromSequence));
            } else if (since != null) {
                request = request.withStart(ReplayStart.since(since));
            }
            if (rate != null) {
                request = request.withRate(rate);
            }
            if (limit != null) {
                request = request.withLimit(limit);
            }
            return restart ? request.withRestart() : request;
        } catch (ReplayException e) {
            throw new UserError(e.getMessage());
        }
    }

    EventsFormat format() {
        try {
            return EventsFormat.parse(eventsFormat);
        } catch (IllegalArgumentException e) {
            throw new UserError("--events-format '" + eventsFormat + "' is neither avro nor json-envelope");
        }
    }

    private static ReplaySummary runStoppable(Replay replay, ReplayRequest request, PrintWriter err) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopOnCtrlC = new Thread(() -> {
            replay.stop();
            try {
                finished.await(30, TimeUnit.SECONDS); // the chunk in flight is acknowledged and recorded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ingest-replay-stop");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        try {
            return replay.run(request, (partition, done, total) -> bar(err, partition, done, total));
        } finally {
            err.println();
            err.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and now returns
            }
        }
    }

    private static void bar(PrintWriter err, int partition, long done, long total) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        err.print(String.format(Locale.ROOT, "\r[%s%s] %,d/%,d events (partition %d)", "#".repeat(filled),
                " ".repeat(width - filled), done, total, partition));
        err.flush();
    }

    static String describe(ReplaySummary summary) {
        String line = String.format(Locale.ROOT, "Replayed %,d events of %d partition%s to %s in %.1f s: %,.0f"
                + " events/s", summary.events(), summary.partitions(), summary.partitions() == 1 ? "" : "s",
                summary.targetTopic(), summary.elapsed().toNanos() / 1e9, summary.eventsPerSecond());
        if (summary.partitionsResumed() > 0) {
            line += String.format(Locale.ROOT, " (%d continued from stored progress)", summary.partitionsResumed());
        }
        return summary.complete() ? line + "; complete through the last committed sequences"
                : line + "; stopped by " + summary.stoppedBy() + ": run it again to continue";
    }
}
