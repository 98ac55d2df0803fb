package io.allsource.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table must list every setting, so that the documentation cannot fall behind the code. */
class ReadmeSettingsTest {

    @Test
    void readmeListsEverySettingWithItsEnvironmentVariableAndDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        for (ConfigKey key : ConfigKeys.ALL) {
            String row = "| `" + key.flag() + "` | `" + key.environmentVariable() + "` | "
                    + (key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`") + " |";
            assertThat(readme).as("README row of %s", key.name()).contains(row);
        }
    }
}
