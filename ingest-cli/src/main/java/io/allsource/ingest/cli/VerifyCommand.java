package io.allsource.ingest.cli;

import io.allsource.ingest.audit.AuditReport;
import io.allsource.ingest.audit.AuditSettings;
import io.allsource.ingest.audit.AuditText;
import io.allsource.ingest.audit.Check;
import io.allsource.ingest.audit.CommandsTopicOffsets;
import io.allsource.ingest.audit.PipelineAudit;
import io.allsource.ingest.audit.StoreInvariants;
import io.allsource.ingest.store.Database;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the database's invariant checks and, with {@code --deep}, the topics' too (every committed event published,
 * every command answered, copies identical); exit status 1 when any is broken. Either way, offsets of the commands
 * topic that the database holds no outcome for are looked up in the topic (read_committed), so that transaction
 * markers and aborted records, which no consumer receives, are not reported; a store without such offsets is checked
 * without the broker.
 */
@Command(name = "verify", description = "Check that streams and partitions are gapless and outcomes consistent;"
        + " --deep also holds the events and results topics against the database")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--deep", description = "Also read the events and results topics to their end and check them"
            + " against the database")
    boolean deep;

    @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "10", description = "With --deep: how long"
            + " to read on past the topics' end offsets while stored events or results have not appeared"
            + " (default ${DEFAULT-VALUE})")
    int graceSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (graceSeconds < 0) {
            throw new UserError("--grace-seconds must be 0 or more, not " + graceSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = connection.openDatabase()) {
            boolean holds;
            if (deep) {
                AuditReport report = new PipelineAudit(database.dataSource(), AuditSettings.of(
                        connection.kafkaProperties(), connection.registry(),
                        connection.topics()).withGrace(Duration.ofSeconds(graceSeconds))).run();
                AuditText.report(report).forEach(out::println);
                holds = report.holds();
            } else {
                List<Check> checks;
                try (CommandsTopicOffsets receivedOffsets = new CommandsTopicOffsets(
                        connection::kafkaProperties,
                        connection.topics().commands(), Duration.ofMinutes(2))) {
                    checks = new StoreInvariants(database.dataSource(), receivedOffsets).run();
                }
                AuditText.checks(checks).forEach(out::println);
                holds = checks.stream().allMatch(Check::holds);
            }
            out.println(holds ? "All invariants hold." : "VIOLATIONS FOUND.");
            out.flush();
            return holds ? 0 : 1;
        }
    }
}
