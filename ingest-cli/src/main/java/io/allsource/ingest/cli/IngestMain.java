package io.allsource.ingest.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ingest} command line. Errors are one clear line; {@code --verbose} adds the stack trace and every INFO log
 * line on standard error, which are otherwise left out ({@link CliLogging}). Exit status 0 on success, 1 on error, 2
 * for a rejected command ({@code append}, {@code delete}, {@code erase}) or bad usage.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, version = "AllSource Ingest 0.1.0",
        description = "Run the AllSource Ingest pipeline and talk to it.",
        subcommands = {AppendSubcommand.class, StreamOperationCommand.Delete.class, StreamOperationCommand.Erase.class,
                DemoCommand.class, ReadCommand.class, TailCommand.class, VerifyCommand.class, StatsCommand.class,
                ReplayCommand.class,
                MigrateCommand.class, OffsetsCommand.class, BenchCommand.class, ChaosCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "  run      Run the worker (embedded servers unless configured); see ingest run --help",
                "  views    Run the live views (Kafka Streams) on their own; see ingest views --help",
                "  schemas  Register the contract's schemas (register) or check them (check); see ingest schemas --help"})
public final class IngestMain {

    /** Where the build put the registry builds; the ./ingest script sets it. */
    static final String HOME_PROPERTY = "ingest.home";

    public static void main(String[] args) {
        CliLogging.configure(Arrays.asList(args).contains("--verbose"));
        int status = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(arg -> !arg.equals("--verbose")).toArray(String[]::new);
        try {
            if (rest.length > 0 && rest[0].equals("run")) {
                return RunCommand.run(Arrays.copyOfRange(rest, 1, rest.length), environment, out, err, home());
            }
            if (rest.length > 0 && rest[0].equals("schemas")) {
                return SchemasCommand.run(Arrays.copyOfRange(rest, 1, rest.length), environment, out, err);
            }
            if (rest.length > 0 && rest[0].equals("views")) {
                return ViewsCommand.run(Arrays.copyOfRange(rest, 1, rest.length), environment, out, err);
            }
            CommandLine commandLine = new CommandLine(new IngestMain());
            commandLine.setOut(out);
            commandLine.setErr(err);
            commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
                report(exception, verbose, err);
                return 1;
            });
            for (CommandLine sub : commandLine.getSubcommands().values()) {
                CommandLine.Model.CommandSpec mixin = sub.getCommandSpec().mixins().get("connection");
                if (mixin != null) {
                    ((ConnectionOptions) mixin.userObject()).environment(environment);
                }
            }
            return commandLine.execute(rest);
        } catch (RuntimeException e) {
            report(e, verbose, err);
            return 1;
        }
    }

    private static void report(Exception exception, boolean verbose, PrintWriter err) {
        String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
        err.println("error: " + message.lines().findFirst().orElse(message));
        if (verbose) {
            exception.printStackTrace(err);
        } else if (!(exception instanceof UserError)) {
            err.println("(run with --verbose for details)");
        }
        err.flush();
    }

    static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new UserError("The system property " + HOME_PROPERTY + " is not set: start the pipeline with"
                    + " ./ingest, which sets it");
        }
        return Path.of(home);
    }
}
