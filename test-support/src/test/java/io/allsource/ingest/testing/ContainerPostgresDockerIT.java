package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Ports;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The container backend's PostgreSQL on the image built here. Needs Docker: runs in the docker profile only. */
@Tag("docker")
class ContainerPostgresDockerIT {

    private static TestPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = Backend.TESTCONTAINERS.startPostgres();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void runsTheImageBuiltHereInPlaceOfThePostgresImage() {
        assertThat(postgres).isInstanceOf(ContainerPostgres.class);
        assertThat(((ContainerPostgres) postgres).image()).isEqualTo(ContainerImages.DEFAULT_POSTGRES);
    }

    @Test
    void handsOutFreshUtf8DatabasesReachableByUrlOrByUserAndPassword() throws SQLException {
        try (TestDatabase first = postgres.createDatabase("ContainerPostgresDockerIT");
                TestDatabase second = postgres.createDatabase("ContainerPostgresDockerIT")) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(first.user()).isEqualTo(ContainerPostgres.USER);
            assertThat(first.password()).isNotEmpty();

            try (Connection byUrl = DriverManager.getConnection(first.jdbcUrl());
                    Statement statement = byUrl.createStatement()) {
                statement.execute("CREATE TABLE only_in_first (id int)");
            }
            String plainUrl = first.jdbcUrl().substring(0, first.jdbcUrl().indexOf('?'));
            try (Connection byCredentials = DriverManager.getConnection(plainUrl, first.user(), first.password())) {
                assertThat(single(byCredentials, "SELECT current_setting('server_encoding')")).isEqualTo("UTF8");
                assertThat(single(byCredentials, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"))
                        .isEqualTo("1");
            }
            assertThat(second.queryForLong("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"))
                    .as("the second database does not see the first one's table").isZero();
        }
    }

    @Test
    void asksForThePassword() {
        String url = postgres.adminJdbcUrl().replaceAll("password=[^&]*", "password=wrong");

        assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void publishesItsPortOnLoopbackOnly() {
        Ports ports = DockerClientFactory.instance().client()
                .inspectContainerCmd(((ContainerPostgres) postgres).containerId()).exec().getNetworkSettings()
                .getPorts();

        List<String> hostAddresses = ports.getBindings().values().stream().filter(Objects::nonNull)
                .flatMap(Arrays::stream).map(Ports.Binding::getHostIp).toList();
        assertThat(hostAddresses).isNotEmpty().containsOnly("127.0.0.1");
    }

    @Test
    void closingStopsAndRemovesItsContainerAndIsIdempotent() {
        ContainerPostgres own = ContainerPostgres.start(ContainerImages.configured());
        String id = own.containerId();

        own.close();
        own.close();

        assertThatThrownBy(() -> DockerClientFactory.instance().client().inspectContainerCmd(id).exec())
                .isInstanceOf(NotFoundException.class);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
