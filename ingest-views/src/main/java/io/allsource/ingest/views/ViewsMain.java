package io.allsource.ingest.views;

import io.allsource.ingest.settings.CommonKeys;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.settings.ConfigSources;
import io.allsource.ingest.settings.ShutdownHook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the live views until SIGTERM or Ctrl-C: {@code java -cp ... io.allsource.ingest.views.ViewsMain
 * --bootstrap-servers HOST:PORT --registry-url URL [--key value ...] [--kafka property=value ...] [--config FILE]}.
 * Every key of {@link ViewsKeys} is a flag, an {@code INGEST_...} variable or a key of the properties file. Logs its
 * configuration at start, secrets masked. Exit status 0 after a clean stop, 1 when the views cannot start or stop on a
 * failure of their own (one line on standard error: {@code error: the views stopped: ...}), 2 for bad usage.
 */
public final class ViewsMain {

    private static final Logger log = LoggerFactory.getLogger(ViewsMain.class);

    private ViewsMain() {
    }

    public static void main(String[] args) {
        int status = run(args, Map.of(), System.getenv(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the views until SIGTERM or Ctrl-C, or until they stop on a failure of their own, and returns the exit status
     * (0 after a clean stop, 1 when they cannot start or stopped on a failure, 2 for bad usage), without exiting the
     * JVM: for a launcher such as the {@code ingest} command line.
     *
     * @param defaults values by key beneath the flags, the environment and the file, such as the endpoints of the
     *                 embedded pipeline
     */
    public static int run(String[] args, Map<String, String> defaults, Map<String, String> environment,
            PrintWriter out, PrintWriter err) {
        Map<String, String> flags;
        try {
            flags = flags(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            usage(err);
            return 2;
        }
        if (flags.containsKey("help")) {
            usage(out);
            return 0;
        }
        String file = flags.remove("config");
        ViewsApplication application;
        try {
            ViewsConfig config = ViewsConfig.load(flags, environment,
                    ConfigSources.configFile(file == null ? null : Path.of(file), environment).orElse(null), defaults);
            log.info("{}", config.describe());
            application = ViewsApplication.start(config.settings());
        } catch (ViewsException | ConfigException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        out.println("AllSource Ingest views are running at " + application.url() + ". Press Ctrl-C to stop.");
        out.flush();
        ShutdownHook.runUntilStoppedOrFailed(application.failure(), application);
        ViewsException failure = application.failure().getNow(null);
        if (failure != null) {
            err.println("error: " + failure.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }

    /** Flags as {@code --key value} or {@code --key=value}; {@code --kafka name=value} as {@code kafka.name}. */
    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                flags.put("help", "true");
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (name.equals("kafka")) {
                int split = value.indexOf('=');
                if (split <= 0) {
                    throw new IllegalArgumentException("--kafka needs property=value, got '" + value + "'");
                }
                flags.put(CommonKeys.KAFKA_PREFIX + value.substring(0, split), value.substring(split + 1));
            } else if (name.equals("config") || ViewsKeys.CATALOGUE.find(name).isPresent()) {
                flags.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return flags;
    }

    private static void usage(PrintWriter out) {
        out.println("Usage: ingest-views [--key value ...] [--kafka property=value ...] [--config FILE]");
        out.println("Live views of the events topic, queryable over HTTP. Every option can also be set as an"
                + " environment variable (INGEST_ and the key in capitals) or in the properties file named by"
                + " --config or INGEST_CONFIG.");
        for (ConfigKey key : ViewsKeys.ALL) {
            out.printf("  %-32s %s%n", key.flag(), key.help());
        }
        out.flush();
    }
}
