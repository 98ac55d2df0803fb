package io.allsource.ingest.cli;

import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.ServerRequirements;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Applies the pending Flyway migrations to the configured database, once its server settings fit the store. */
@Command(name = "migrate", description = "Apply pending database migrations (Flyway)")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        try (Database database = connection.openDatabase()) {
            List<String> problems = ServerRequirements.problems(database.dataSource());
            if (!problems.isEmpty()) {
                throw new UserError("The database cannot hold the event store: " + String.join("; ", problems));
            }
            int applied = database.migrate();
            spec.commandLine().getOut().println("Applied " + applied + " migrations; the schema is up to date.");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
