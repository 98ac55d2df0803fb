package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.ConfigChecks.any;
import static io.allsource.ingest.settings.ConfigChecks.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A catalogue refuses, when built, every mistake in its keys; and it finds keys by name and by variable. */
class KeyCatalogueTest {

    private static List<ConfigKey> viewsKeysWith(ConfigKey replacement) {
        List<ConfigKey> keys = new ArrayList<>(TestCatalogue.VIEWS.keys());
        keys.replaceAll(key -> key.name().equals(replacement.name()) ? replacement : key);
        return keys;
    }

    @Test
    void findsKeysByNameAndByEnvironmentVariable() {
        assertThat(TestCatalogue.VIEWS.find("views-threads")).contains(TestCatalogue.THREADS);
        assertThat(TestCatalogue.VIEWS.findByVariable("INGEST_VIEWS_THREADS")).contains(TestCatalogue.THREADS);
        assertThat(TestCatalogue.VIEWS.find("batch-size")).isEmpty();
        assertThat(TestCatalogue.VIEWS.isKeyOfAnother("batch-size")).isTrue();
        assertThat(TestCatalogue.VIEWS.isKeyOfAnother("views-threads")).isFalse();
        assertThat(TestCatalogue.VIEWS.isVariableOfAnother("INGEST_DB_URL")).isTrue();
        assertThat(TestCatalogue.VIEWS.isVariableOfAnother("INGEST_NO_SUCH_KEY")).isFalse();
    }

    @Test
    void refusesKeysThatDifferFromTheComponentsList() {
        List<ConfigKey> keys = new ArrayList<>(TestCatalogue.VIEWS.keys());
        keys.remove(TestCatalogue.THREADS);
        keys.add(new ConfigKey("views-thread-count", "1", false, "Threads", any()));

        assertThatThrownBy(() -> new KeyCatalogue(Component.VIEWS, keys)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing [views-threads]").hasMessageContaining("[views-thread-count]");
    }

    @Test
    void refusesAKeyListedTwice() {
        List<ConfigKey> keys = new ArrayList<>(TestCatalogue.VIEWS.keys());
        keys.add(TestCatalogue.THREADS);

        assertThatThrownBy(() -> new KeyCatalogue(Component.VIEWS, keys))
                .hasMessageContaining("views-threads is listed twice");
    }

    @Test
    void refusesADefaultThatFailsItsOwnCheck() {
        ConfigKey threads = new ConfigKey("views-threads", "0", false, "Threads", integer(1, 64));

        assertThatThrownBy(() -> new KeyCatalogue(Component.VIEWS, viewsKeysWith(threads)))
                .hasMessageContaining("views-threads has a default that fails its check");
    }

    @Test
    void refusesASecretWithADefault() {
        ConfigKey host = new ConfigKey("views-advertised-host", "localhost", true, "Host", any());

        assertThatThrownBy(() -> new KeyCatalogue(Component.VIEWS, viewsKeysWith(host)))
                .hasMessageContaining("views-advertised-host is secret but has a default");
    }
}
