package io.allsource.ingest.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.testing.CapturedLog;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The configuration the worker logs at start shows every setting but never a secret (as Debezium's
 * {@code testTaskConfigurationIsLoggedWithMaskedPasswords}). The start stops at the unreachable registry, right after
 * the database check, so no broker is needed.
 */
@ExtendWith(PostgresExtension.class)
class WorkerConfigurationLoggedIT {

    private final TestDatabase database;

    WorkerConfigurationLoggedIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void theConfigurationIsLoggedWithMaskedSecrets() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), "127.0.0.1:" + closedPort);
        flags.put(ConfigKeys.DB_URL.name(), database.jdbcUrl());
        flags.put(ConfigKeys.MIGRATE.name(), "false");
        flags.put(ConfigKeys.REGISTRY_URL.name(), "http://registry-user:hunter2-url@127.0.0.1:" + closedPort);
        flags.put(ConfigKeys.REGISTRY_BASIC_AUTH.name(), "registry-user:hunter2-registry");
        flags.put("kafka.sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2-jaas\";");
        IngestConfig config = IngestConfig.load(flags, Map.of("INGEST_REGISTRY_TRUSTSTORE_PASSWORD",
                "hunter2-truststore", "INGEST_KAFKA_SSL_KEY_PASSWORD", "hunter2-key"), null, List.of());

        try (CapturedLog log = CapturedLog.of(WorkerApplication.class)) {
            assertThatThrownBy(() -> WorkerApplication.start(config)).isInstanceOf(StartupException.class);

            assertThat(log.text()).contains("registry-basic-auth = ****", "registry-truststore-password = ****",
                    "kafka.sasl.jaas.config = ****", "kafka.ssl.key.password = ****",
                    "registry-url = http://registry-user:****@127.0.0.1:" + closedPort, "migrate = false  [flag]")
                    .doesNotContain("hunter2");
        }
    }
}
