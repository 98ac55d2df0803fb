package io.allsource.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.settings.Component;
import io.allsource.ingest.settings.ConfigKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker's catalogue. The invariants of every catalogue (unique names, defaults that pass their checks, no
 * default for a secret, the names of {@link Component#WORKER}) are checked when it is built, so loading the class is
 * the first assertion.
 */
class ConfigKeysTest {

    @Test
    void theCatalogueIsTheWorkersAndListsEveryKeyInOrder() {
        assertThat(ConfigKeys.CATALOGUE.component()).isEqualTo(Component.WORKER);
        assertThat(ConfigKeys.CATALOGUE.keys()).isEqualTo(ConfigKeys.ALL);
        assertThat(ConfigKeys.ALL).allSatisfy(key -> assertThat(key.description()).as(key.name()).isNotBlank());
    }

    @Test
    void passwordsAndCredentialsAreTheSecretKeys() {
        assertThat(ConfigKeys.ALL).filteredOn(ConfigKey::secret).containsExactlyInAnyOrder(ConfigKeys.DB_PASSWORD,
                ConfigKeys.REGISTRY_BASIC_AUTH, ConfigKeys.REGISTRY_TRUSTSTORE_PASSWORD);
    }

    @Test
    void theLimitKeysDefaultToTheDefaultCommandLimits() {
        IngestConfig config = ConfigFixtures.load(ConfigFixtures.connectionFlags(), Map.of());

        assertThat(config.commandLimits()).isEqualTo(CommandLimits.DEFAULT);
        assertThat(ConfigKeys.MAX_EVENT_RECORD_BYTES.defaultValue()).isEqualTo("1000000");
    }
}
