package io.allsource.ingest.startup;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.registry.ContractRegistration;
import io.allsource.ingest.registry.ContractRegistration.SubjectStatus;
import io.allsource.ingest.registry.ContractSubjects;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.settings.RegistryFixes;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseConnectionCheck;
import io.allsource.ingest.store.DatabaseRefusedException;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.store.ServerRequirements;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.topics.IngestTopics;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The start-up checks that refuse a deployment the worker cannot serve, each failure one line naming the server, the
 * setting or subject, and the fix: the database refusing the connection (the server's own reason, at once), the
 * database's server settings ({@link ServerRequirements}), the registry refusing the worker, and, when the worker does
 * not register its schemas, this build's schemas missing under their subjects; and the migration, when the worker
 * applies it. Stateless.
 */
public final class DeploymentChecks {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private DeploymentChecks() {
    }

    /** Connects once with the driver, then reads the server settings the store relies on. */
    public static void database(DatabaseSettings settings, Database database) {
        try {
            DatabaseConnectionCheck.check(settings);
        } catch (DatabaseRefusedException e) {
            throw new StartupException(e.getMessage(), e);
        }
        List<String> problems;
        try {
            problems = ServerRequirements.problems(database.dataSource());
        } catch (SQLException | RuntimeException e) {
            throw new StartupException("The database at " + DatabaseSettings.maskPassword(settings.jdbcUrl())
                    + " did not answer the check of its settings: " + DatabaseSettings.maskPassword(e.getMessage()), e);
        }
        if (!problems.isEmpty()) {
            throw new StartupException("The database cannot hold the event store: " + String.join("; ", problems));
        }
    }

    /**
     * Applies the pending migrations. A failure names the URL; one for want of a privilege (the worker started with a
     * role that does not own the schema, and {@code migrate} left on) says how to migrate apart.
     */
    public static void migrate(Database database, String jdbcUrl) {
        try {
            database.migrate();
        } catch (StoreException e) {
            // The connection can drop between the check and the migration (a restart, a terminated backend).
            throw new StartupException("Migrating the database at " + DatabaseSettings.maskPassword(jdbcUrl)
                    + " failed: " + e.getMessage() + (lacksPrivilege(e) ? "; the user of " + ConfigKeys.DB_USER.name()
                    + " may not change the schema: run `ingest migrate` as the schema's owner, then start the worker"
                    + " with " + ConfigKeys.MIGRATE.name() + "=false" : ""), e);
        }
    }

    /**
     * The database user may delete stored outcomes, as {@code result-retention-ms} asks of it; checked at start so
     * that a missing grant stops the worker with the fix rather than failing every pruning round.
     */
    public static void pruningAllowed(ResultPruning pruning, String user) {
        List<String> missing;
        try {
            missing = pruning.tablesWithoutDelete();
        } catch (StoreException e) {
            throw new StartupException(e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new StartupException(ConfigKeys.RESULT_RETENTION_MS.name() + " is set, but the database user "
                    + (user == null ? "" : "'" + user + "' ") + "may not DELETE from " + String.join(", ", missing)
                    + ": GRANT DELETE ON " + String.join(", ", missing) + " to it, or leave "
                    + ConfigKeys.RESULT_RETENTION_MS.name() + " at 0 (keep outcomes forever)");
        }
    }

    private static boolean lacksPrivilege(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The registry answers the worker, or the reason it refuses, with the fix. */
    public static void registryReachable(SchemaRegistryClient registry) {
        try {
            registry.checkReachable();
        } catch (RegistryException e) {
            throw new StartupException("The schema registry at " + printable(registry) + " is not reachable: "
                    + e.getMessage() + RegistryFixes.forFailure(e, registry.settings()), e);
        }
    }

    /**
     * The worker's own schemas (results, and events when in Avro) are registered under their subjects.
     *
     * @throws StartupException naming every subject at fault, the registry and the fix
     */
    public static void schemasRegistered(SchemaRegistryClient registry, IngestTopics topics, boolean avroEvents) {
        List<SubjectStatus> statuses;
        try {
            statuses = new ContractRegistration(registry).check(ContractSubjects.of(topics, avroEvents)
                    .producedByWorker());
        } catch (RegistryException e) {
            throw new StartupException("The schema registry at " + printable(registry)
                    + " did not answer the lookup of the worker's schemas: " + e.getMessage()
                    + RegistryFixes.forFailure(e, registry.settings()), e);
        }
        String faults = statuses.stream().filter(status -> !status.isRegistered()).map(SubjectStatus::describe)
                .collect(Collectors.joining("; "));
        if (!faults.isEmpty()) {
            throw new StartupException("The schema registry at " + printable(registry) + " lacks this build's schemas: "
                    + faults + ". Register them with `ingest schemas register` (same topic settings as the worker),"
                    + " or start with " + ConfigKeys.AUTO_REGISTER.name() + "=true");
        }
    }

    private static String printable(SchemaRegistryClient registry) {
        return RegistrySettings.maskUserInfo(registry.settings().url());
    }
}
