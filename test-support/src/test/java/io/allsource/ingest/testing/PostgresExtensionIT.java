package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionIT {

    @Test
    void givesEachTestClassItsOwnEmptyDatabase(TestDatabase database) throws SQLException {
        assertThat(userTableCount(database)).isZero();
        execute(database, "CREATE TABLE left_behind (id int)");
        assertThat(userTableCount(database)).isEqualTo(1);
    }

    @Test
    void givesEveryParameterOfOneClassTheSameDatabase(TestDatabase first, TestDatabase second) {
        assertThat(first).isSameAs(second);
    }

    @Nested
    @ExtendWith(PostgresExtension.class)
    class AnotherClass {
        @Test
        void doesNotSeeTheTablesOfTheOuterClass(TestDatabase database, TestDatabase same) throws SQLException {
            assertThat(database.name()).startsWith("t_anotherclass_");
            assertThat(same).isSameAs(database);
            execute(database, "CREATE TABLE nested_only (id int)");
            assertThat(userTableCount(database)).isEqualTo(1);
        }
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int userTableCount(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
