package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void replacesTheDatabaseAndKeepsTheParameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://127.0.0.1:5432/postgres?user=me&password=secret");

        assertThat(url.withDatabase("t_other").url())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t_other?user=me&password=secret");
    }

    @Test
    void acceptsAUrlWithoutParameters() {
        assertThat(JdbcUrl.parse("jdbc:postgresql://db:5432/ingest").withDatabase("x").url())
                .isEqualTo("jdbc:postgresql://db:5432/x");
    }

    @Test
    void rejectsAUrlOfAnotherDriverNamingTheExpectedShape() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://db/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }

    @Test
    void readsTheUserAndTheDecodedPasswordFromTheParameters() {
        JdbcUrl url = JdbcUrl.parse(
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=me&password=p%40ss%26word&ssl=false");

        assertThat(url.parameter("user")).contains("me");
        assertThat(url.parameter("password")).contains("p@ss&word");
        assertThat(url.parameter("sslmode")).isEmpty();
    }

    @Test
    void findsNoParameterInAUrlWithoutParameters() {
        assertThat(JdbcUrl.parse("jdbc:postgresql://db:5432/ingest").parameter("user")).isEmpty();
    }
}
