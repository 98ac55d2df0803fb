package io.allsource.ingest.cli;

import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.OffsetReset;
import io.allsource.ingest.store.OffsetResets;
import io.allsource.ingest.worker.CommandsLog;
import io.allsource.ingest.worker.LogCheck;
import io.allsource.ingest.worker.LogRange;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shows each partition's stored offsets beside its log, and moves a held partition's stored next offset with a
 * recorded reason, after which the worker holding it resumes (at its next recheck, every fenced-recheck-ms).
 */
@Command(name = "offsets", description = {"Show the stored offsets beside the commands topic's log (--show), or move a"
        + " partition's stored next offset (--partition P --reset-to earliest|latest|N --reason TEXT), recorded in"
        + " offset_resets with who and why"})
final class OffsetsCommand implements Callable<Integer> {

    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(15);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--show", description = "Print every partition: stored next offset, log range, topic ids, held")
    boolean show;

    @Option(names = "--partition", paramLabel = "P", description = "The partition to reset, 0 to 31")
    Integer partition;

    @Option(names = "--reset-to", paramLabel = "earliest|latest|N",
            description = "Where the partition resumes: the log start, the log end, or an offset within the log")
    String resetTo;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required with --reset-to; stored)")
    String reason;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who resets (default: the user name)")
    String operator;

    @Option(names = "--topic", paramLabel = "NAME", description = "The commands topic (default: ingest.commands, or"
            + " the one ingest run uses)")
    String topic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (resetTo == null && partition == null) {
            show = true;
        }
        if (show && (resetTo != null || partition != null)) {
            throw new UserError("Give either --show or --partition P --reset-to ..., not both");
        }
        if (!show) {
            checkReset();
        }
        String commands = topic != null ? topic : connection.topics().commands();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> properties = new HashMap<>(connection.kafkaProperties());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) LOG_TIMEOUT.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) LOG_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(properties);
                Database database = connection.openDatabase()) {
            CommandsLog log = new CommandsLog(admin, commands, LOG_TIMEOUT);
            OffsetResets resets = new OffsetResets(database.dataSource());
            if (show) {
                show(log, resets, out);
            } else {
                reset(log, resets, out);
            }
            out.flush();
            return 0;
        }
    }

    private static void show(CommandsLog log, OffsetResets resets, PrintWriter out) {
        Map<Integer, OffsetResets.StoredOffset> stored = resets.stored();
        List<LogRange> ranges = log.ranges(IntStream.range(0, PartitionFunction.PARTITION_COUNT).boxed().toList());
        Table table = new Table("partition", "stored next", "log start", "log end", "topic id stored", "topic id now",
                "state");
        for (LogRange range : ranges) {
            OffsetResets.StoredOffset offset = stored.get(range.partition());
            String state = offset == null ? "never claimed"
                    : LogCheck.mismatch(offset.topicId(), offset.nextOffset(), range).isPresent() ? "HELD" : "ok";
            table.row(Integer.toString(range.partition()), offset == null ? "-" : Long.toString(offset.nextOffset()),
                    Long.toString(range.start()), Long.toString(range.end()),
                    offset == null || offset.topicId() == null ? "-" : offset.topicId(), range.topicId(), state);
        }
        table.print(out);
    }

    private void checkReset() {
        if (partition == null || resetTo == null) {
            throw new UserError("A reset needs --partition P and --reset-to earliest|latest|N");
        }
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
            throw new UserError("--partition " + partition + " is not a partition: give 0 to "
                    + (PartitionFunction.PARTITION_COUNT - 1));
        }
        if (reason == null || reason.isBlank()) {
            throw new UserError("A reset of partition " + partition + " needs --reason TEXT: it is recorded with who"
                    + " moved the offset, so that no command is skipped without an explanation");
        }
    }

    private void reset(CommandsLog log, OffsetResets resets, PrintWriter out) {
        LogRange range = log.range(partition);
        long to = target(range);
        OffsetReset reset = resets.reset(partition, to, range.topicId(), operator(), host(), reason);
        out.println("Partition " + partition + " of " + range.topic() + ": stored next offset moved from "
                + reset.fromOffset() + " to " + reset.toOffset() + " (log range " + range + ", topic id "
                + (reset.fromTopicId() == null ? "none" : reset.fromTopicId()) + " -> " + reset.topicId() + ") by "
                + reset.operator() + "@" + reset.host() + ", recorded as reset #" + reset.resetId() + ": "
                + reset.reason());
        out.println("A worker holding the partition resumes at its next check (fenced-recheck-ms); one applying it is"
                + " fenced and claims it again.");
    }

    private long target(LogRange range) {
        switch (resetTo) {
            case "earliest":
                return range.start();
            case "latest":
                return range.end();
            default:
                long offset;
                try {
                    offset = Long.parseLong(resetTo);
                } catch (NumberFormatException e) {
                    throw new UserError("--reset-to " + resetTo + " is neither earliest, latest nor an offset");
                }
                if (offset < range.start() || offset > range.end()) {
                    throw new UserError("--reset-to " + offset + " lies outside the log of partition " + partition
                            + " (" + range + "): give an offset within it, earliest or latest");
                }
                return offset;
        }
    }

    private String operator() {
        String name = operator != null ? operator : System.getProperty("user.name");
        return name == null || name.isBlank() ? "unknown" : name;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }
}
