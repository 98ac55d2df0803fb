package io.allsource.ingest.startup;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.settings.ConfigSources;
import io.allsource.ingest.settings.ShutdownHook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Runs the worker against configured servers until SIGTERM or Ctrl-C, then stops it gracefully. Its flags are made
 * from {@link ConfigKeys}, so that flags, environment variables, the properties file and the help text never disagree.
 * Exit status: 0 after a clean stop, 1 when it cannot start or stops on a failure no retry can fix (the message says
 * why, in one line).
 */
public final class WorkerCommand {

    public static final List<ConfigKey> REQUIRED = List.of(ConfigKeys.BOOTSTRAP_SERVERS, ConfigKeys.DB_URL,
            ConfigKeys.REGISTRY_URL);

    private WorkerCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(spec());
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            commandLine.usage(err);
            return 2;
        }
        if (parsed.isUsageHelpRequested()) {
            commandLine.usage(out);
            return 0;
        }
        IngestConfig config;
        try {
            config = IngestConfig.load(flags(parsed), environment, configFile(parsed, environment), REQUIRED);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        WorkerApplication application;
        try {
            application = WorkerApplication.start(config);
        } catch (StartupException | ConfigException e) {
            err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        FatalWorkerException failure = runUntilStoppedOrFailed(application);
        if (failure != null) {
            err.println("Stopped: " + failure.getMessage());
            return 1;
        }
        return 0;
    }

    /**
     * Blocks until SIGTERM or Ctrl-C, or until the worker stops on a failure no retry can fix; then closes the
     * application and {@code alsoClose}, in order.
     *
     * @return the failure, or null after a requested stop
     */
    public static FatalWorkerException runUntilStoppedOrFailed(WorkerApplication application,
            AutoCloseable... alsoClose) {
        List<AutoCloseable> running = new ArrayList<>();
        running.add(application);
        running.addAll(List.of(alsoClose));
        ShutdownHook.runUntilStoppedOrFailed(application.failure(), running.toArray(AutoCloseable[]::new));
        return application.failure().getNow(null);
    }

    /** The command's flags: one per setting, plus --config, --kafka and --help. */
    public static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("ingest-worker").mixinStandardHelpOptions(false);
        spec.usageMessage().description("Applies commands from Kafka to PostgreSQL and publishes results and events.",
                "Every flag can also be set as an environment variable (INGEST_ and the name in capitals) or in the "
                        + "properties file named by --config or INGEST_CONFIG.");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help").build());
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
                .description("Properties file with settings (keys as the flags, without --)").build());
        spec.addOption(OptionSpec.builder("--kafka").paramLabel("PROPERTY=VALUE").type(Map.class)
                .auxiliaryTypes(String.class, String.class)
                .description("A Kafka client property passed through, such as security.protocol=SASL_SSL").build());
        for (ConfigKey key : ConfigKeys.ALL) {
            spec.addOption(OptionSpec.builder(key.flag()).paramLabel("VALUE").type(String.class)
                    .description(key.help()).build());
        }
        return spec;
    }

    /** The settings given as flags, by name (Kafka properties with the kafka. prefix). */
    public static Map<String, String> flags(ParseResult parsed) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (parsed.hasMatchedOption(key.flag())) {
                flags.put(key.name(), parsed.matchedOptionValue(key.flag(), ""));
            }
        }
        if (parsed.hasMatchedOption("--kafka")) {
            Map<String, String> kafka = parsed.matchedOptionValue("--kafka", Map.of());
            kafka.forEach((property, value) -> flags.put(ConfigKeys.KAFKA_PREFIX + property, value));
        }
        return flags;
    }

    /** The properties file named by --config, else by INGEST_CONFIG, or null. */
    public static Path configFile(ParseResult parsed, Map<String, String> environment) {
        return ConfigSources.configFile(parsed.matchedOptionValue("--config", null), environment).orElse(null);
    }
}
