package io.allsource.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checks of values that need more than a prefix or a range. */
class ConfigChecksTest {

    @Test
    void aPostgresJdbcUrlIsOneTheDriverCanParse() {
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql://db:5432/ingest")).isEmpty();
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql://a:5432,b:5432/ingest?sslmode=verify-full"
                + "&sslrootcert=/etc/ingest/ca.crt")).isEmpty();
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql:ingest")).isEmpty();
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql://")).isEmpty();
    }

    @Test
    void aPostgresJdbcUrlTheDriverWouldLogIsRefusedWithoutRepeatingItsPassword() {
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql://db:5432?password=hunter2")).get()
                .asString().contains("jdbc:postgresql://host:port/database",
                        "got 'jdbc:postgresql://db:5432?password=****'")
                .doesNotContain("hunter2");
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:postgresql://db:5432/ingest/x?password=hunter2"))
                .isPresent();
        assertThat(ConfigChecks.postgresJdbcUrl().apply("jdbc:mysql://db/ingest?password=hunter2")).get()
                .asString().isEqualTo("must start with jdbc:postgresql:, got 'jdbc:mysql://db/ingest?password=****'");
    }
}
