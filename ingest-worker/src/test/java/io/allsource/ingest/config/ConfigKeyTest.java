package io.allsource.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spellings of a {@link ConfigKey} and the invariants every key of {@link ConfigKeys} keeps. */
class ConfigKeyTest {

    @Test
    void flagIsTheNameAfterTwoDashes() {
        assertThat(ConfigKeys.BATCH_SIZE.flag()).isEqualTo("--batch-size");
        assertThat(ConfigKeys.DB_URL.flag()).isEqualTo("--db-url");
    }

    @Test
    void environmentVariableIsTheNameInUpperCaseWithUnderscoresAfterIngest() {
        assertThat(ConfigKeys.BATCH_SIZE.environmentVariable()).isEqualTo("INGEST_BATCH_SIZE");
        assertThat(ConfigKeys.DB_URL.environmentVariable()).isEqualTo("INGEST_DB_URL");
        assertThat(ConfigKeys.TOPIC_DEAD_LETTERS.environmentVariable()).isEqualTo("INGEST_TOPIC_DEAD_LETTERS");
        assertThat(new ConfigKey("a.b-c", null, false, "dotted", value -> Optional.empty()).environmentVariable())
                .isEqualTo("INGEST_A_B_C");
    }

    @Test
    void spellingsNameTheFlagTheEnvironmentVariableAndTheFileKey() {
        assertThat(ConfigKeys.BATCH_SIZE.spellings()).isEqualTo("--batch-size / INGEST_BATCH_SIZE / batch-size");
    }

    @Test
    void refusesAKeyWithoutANameOrDescriptionOrCheck() {
        assertThatThrownBy(() -> new ConfigKey(null, null, false, "d", value -> Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> new ConfigKey("n", null, false, null, value -> Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("description");
        assertThatThrownBy(() -> new ConfigKey("n", null, false, "d", null))
                .isInstanceOf(NullPointerException.class).hasMessage("check");
    }

    @Test
    void everyKeyHasADescription() {
        assertThat(ConfigKeys.ALL).allSatisfy(key -> assertThat(key.description()).as(key.name()).isNotBlank());
    }

    @Test
    void namesAndEnvironmentVariablesAreUnique() {
        assertThat(ConfigKeys.ALL.stream().map(ConfigKey::name)).doesNotHaveDuplicates();
        assertThat(ConfigKeys.ALL.stream().map(ConfigKey::environmentVariable)).doesNotHaveDuplicates();
    }

    @Test
    void noKeyIsMistakenForAKafkaPropertyOrTheConfigFileVariable() {
        assertThat(ConfigKeys.ALL).allSatisfy(key -> {
            assertThat(key.name()).as(key.name()).doesNotStartWith(ConfigKeys.KAFKA_PREFIX);
            assertThat(key.environmentVariable()).as(key.name()).doesNotStartWith("INGEST_KAFKA_")
                    .isNotEqualTo(IngestConfig.CONFIG_FILE_VARIABLE);
        });
    }

    @Test
    void everyDefaultPassesItsOwnCheck() {
        assertThat(ConfigKeys.ALL).filteredOn(key -> key.defaultValue() != null)
                .allSatisfy(key -> assertThat(key.check().apply(key.defaultValue())).as(key.name()).isEmpty());
    }

    @Test
    void passwordsAndCredentialsAreTheSecretKeys() {
        assertThat(ConfigKeys.ALL).filteredOn(ConfigKey::secret).containsExactlyInAnyOrder(ConfigKeys.DB_PASSWORD,
                ConfigKeys.REGISTRY_BASIC_AUTH, ConfigKeys.REGISTRY_TRUSTSTORE_PASSWORD);
    }

    @Test
    void secretKeysHaveNoDefaultToPrint() {
        assertThat(ConfigKeys.ALL).filteredOn(ConfigKey::secret)
                .allSatisfy(key -> assertThat(key.defaultValue()).as(key.name()).isNull());
    }
}
