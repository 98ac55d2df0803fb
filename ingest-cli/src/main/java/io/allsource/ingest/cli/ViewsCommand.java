package io.allsource.ingest.cli;

import io.allsource.ingest.views.ViewsMain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ingest views}: the live views on their own (their own settings, see {@code ingest views --help}), defaulting
 * to the pipeline that {@code ingest run} started, with their state under its data folder.
 */
final class ViewsCommand {

    private ViewsCommand() {
    }

    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        Path dataDirectory = dataDirectory(args, environment);
        String[] rest = withoutDataDirectory(args);
        Map<String, String> defaults = new HashMap<>();
        Endpoints.read(dataDirectory).ifPresent(endpoints -> {
            defaults.put("bootstrap-servers", endpoints.bootstrapServers());
            defaults.put("registry-url", endpoints.registryUrl());
            defaults.put("topic-events", endpoints.topicPrefix() + "ingest.events");
            defaults.put("topic-alerts", endpoints.topicPrefix() + "ingest.alerts");
            defaults.put("create-topics", "true");
        });
        defaults.put("views-state-dir", dataDirectory.resolve("views-standalone").toString());
        defaults.put("views-http-host", "127.0.0.1");
        defaults.put("views-http-port", "0");
        return ViewsMain.run(rest, defaults, environment, out, err);
    }

    private static Path dataDirectory(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--data-dir=")) {
                return Path.of(args[i].substring("--data-dir=".length()));
            }
        }
        return Path.of(environment.getOrDefault("INGEST_DATA", ".ingest"));
    }

    private static String[] withoutDataDirectory(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--data-dir")) {
                rest.remove(i);
                if (i < rest.size()) {
                    rest.remove(i);
                }
                break;
            }
            if (rest.get(i).startsWith("--data-dir=")) {
                rest.remove(i);
                break;
            }
        }
        return rest.toArray(String[]::new);
    }
}
