package io.allsource.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.settings.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table must list every setting as it is, so that the documentation cannot fall behind. */
class ReadmeSettingsTest {

    @Test
    void readmeListsEverySettingWithItsEnvironmentVariableDefaultAndMeaning() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(readme).as("README row of %s", key.name()).contains(key.markdownRow());
        }
    }
}
