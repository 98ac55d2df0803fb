package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.ConfigChecks.any;
import static io.allsource.ingest.settings.ConfigChecks.integer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalogue for the tests of the machinery: the keys the views have, by name, with {@link CommonKeys} as they are
 * and the others plain, but for {@link #THREADS} (an integer with a default) and {@link #HOST} (no default). The
 * views' own catalogue is tested in their module.
 */
final class TestCatalogue {

    static final ConfigKey THREADS = new ConfigKey("views-threads", "1", false, "Threads", integer(1, 64));
    static final ConfigKey HOST = new ConfigKey("views-advertised-host", null, false, "Host", any());
    static final KeyCatalogue VIEWS = views();

    static final String BOOTSTRAP = "broker-1:9092";
    static final String REGISTRY_URL = "http://registry:8081";

    private TestCatalogue() {
    }

    private static KeyCatalogue views() {
        Map<String, ConfigKey> keys = new LinkedHashMap<>();
        for (ConfigKey key : List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.REGISTRY_URL,
                CommonKeys.REGISTRY_BASIC_AUTH, CommonKeys.REGISTRY_TRUSTSTORE, CommonKeys.REGISTRY_TRUSTSTORE_PASSWORD,
                CommonKeys.REGISTRY_TRUSTSTORE_TYPE, CommonKeys.TOPIC_EVENTS, CommonKeys.CREATE_TOPICS,
                CommonKeys.TOPIC_REPLICATION_FACTOR, THREADS, HOST)) {
            keys.put(key.name(), key);
        }
        Component.VIEWS.keyNames().stream().sorted().forEach(name -> keys.putIfAbsent(name,
                new ConfigKey(name, null, false, "Plain key " + name, any())));
        return new KeyCatalogue(Component.VIEWS, new ArrayList<>(keys.values()));
    }

    /** A mutable map of name, value, name, value, ... */
    static Map<String, String> pairs(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** Flags naming the broker and the registry, plus {@code extra} as name, value, ... */
    static Map<String, String> connection(String... extra) {
        Map<String, String> flags = pairs("bootstrap-servers", BOOTSTRAP, "registry-url", REGISTRY_URL);
        flags.putAll(pairs(extra));
        return flags;
    }

    static Configuration load(ConfigSources sources) {
        return Configuration.load(VIEWS, sources, List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.REGISTRY_URL));
    }

    /** The line of {@code describe()} for {@code name}, without its indentation. */
    static String describedLine(Configuration configuration, String name) {
        return configuration.describe().lines().map(String::strip).filter(line -> line.startsWith(name + " = "))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + name));
    }
}
