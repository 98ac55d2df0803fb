package io.allsource.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spellings of a key, its help line, its README row and how its values are printed. */
class ConfigKeyTest {

    private static final ConfigKey BATCH_SIZE = new ConfigKey("batch-size", "500", false,
            "Most commands of one partition applied in one transaction", ConfigChecks.integer(1, 10_000));

    @Test
    void flagIsTheNameAfterTwoDashesAndTheVariableTheNameInCapitalsAfterIngest() {
        assertThat(BATCH_SIZE.flag()).isEqualTo("--batch-size");
        assertThat(BATCH_SIZE.environmentVariable()).isEqualTo("INGEST_BATCH_SIZE");
        assertThat(new ConfigKey("a.b-c", null, false, "dotted", value -> Optional.empty()).environmentVariable())
                .isEqualTo("INGEST_A_B_C");
        assertThat(BATCH_SIZE.spellings()).isEqualTo("--batch-size / INGEST_BATCH_SIZE / batch-size");
    }

    @Test
    void helpAndReadmeRowSayTheVariableTheDefaultAndWhetherItIsSecret() {
        assertThat(BATCH_SIZE.help())
                .isEqualTo("Most commands of one partition applied in one transaction (INGEST_BATCH_SIZE, default 500)");
        assertThat(BATCH_SIZE.markdownRow()).isEqualTo("| `--batch-size` | `INGEST_BATCH_SIZE` | `500` | Most commands"
                + " of one partition applied in one transaction |");
        assertThat(CommonKeys.REGISTRY_BASIC_AUTH.markdownRow()).isEqualTo("| `--registry-basic-auth` |"
                + " `INGEST_REGISTRY_BASIC_AUTH` |  | Schema registry credentials, user:password (secret: never printed) |");
    }

    @Test
    void printsValuesWithThePasswordsOfUrlsMasked() {
        assertThat(BATCH_SIZE.printable("500")).isEqualTo("500");
        assertThat(BATCH_SIZE.printable(null)).isNull();
        assertThat(CommonKeys.REGISTRY_URL.printable("https://u:secret@registry:8081"))
                .isEqualTo("https://u:****@registry:8081");
        assertThat(ConfigKey.maskCredentials("jdbc:postgresql://db/ingest?user=a&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/ingest?user=a&password=****&ssl=true");
        assertThat(ConfigKey.maskCredentials("jdbc:postgresql://db/ingest?sslpassword=key-secret&PASSWORD=secret"))
                .isEqualTo("jdbc:postgresql://db/ingest?sslpassword=****&PASSWORD=****");
        assertThat(CommonKeys.REGISTRY_BASIC_AUTH.printable("u:secret")).isEqualTo("****");
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
}
