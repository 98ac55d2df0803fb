package io.allsource.ingest.cli;

import io.allsource.ingest.audit.Check;
import io.allsource.ingest.audit.StoreInvariants;
import io.allsource.ingest.store.Database;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the database's invariant checks; exit status 1 when any is broken. */
@Command(name = "verify", description = "Check that streams and partitions are gapless and outcomes consistent")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = connection.openDatabase()) {
            List<Check> checks = new StoreInvariants(database.dataSource()).run();
            Table table = new Table("check", "checked", "violations");
            for (Check check : checks) {
                table.row(check.name(), Long.toString(check.checked()), Long.toString(check.violations()));
            }
            table.print(out);
            boolean holds = checks.stream().allMatch(Check::holds);
            for (Check check : checks) {
                check.examples().forEach(example -> out.println("  violates '" + check.name() + "': " + example));
            }
            out.println(holds ? "All invariants hold." : "VIOLATIONS FOUND.");
            out.flush();
            return holds ? 0 : 1;
        }
    }
}
