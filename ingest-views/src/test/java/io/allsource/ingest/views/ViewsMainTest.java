package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.testing.CapturedLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views' command line: its help, its flags, its exit statuses and what it logs. */
class ViewsMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsEveryOptionForHelp() {
        int status = run("--help");

        assertThat(status).isZero();
        for (ConfigKey key : ViewsKeys.ALL) {
            assertThat(out.toString()).contains(key.flag() + " ", key.help());
        }
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        int status = run("--bootstrap-servers", "k:9092", "--no-such-thing", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option --no-such-thing");
    }

    @Test
    void refusesToStartNamingTheMissingSetting() {
        int status = run("--bootstrap-servers=k:9092");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--registry-url / INGEST_REGISTRY_URL / registry-url is required");
    }

    @Test
    void theLaunchersDefaultsGiveWayToFlags() {
        int status = ViewsMain.run(new String[] {"--registry-url", "not-a-url"},
                Map.of("bootstrap-servers", "k:9092", "registry-url", "http://registry:8081"), Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("registry-url").contains("not-a-url")
                .doesNotContain("bootstrap-servers is required");
    }

    @Test
    void readsBothFlagFormsAndKafkaProperties() {
        Map<String, String> flags = ViewsMain.flags(new String[] {"--views-threads", "2", "--topic-events=x.events",
                "--kafka", "security.protocol=SSL"});

        assertThat(flags).containsEntry("views-threads", "2").containsEntry("topic-events", "x.events")
                .containsEntry("kafka.security.protocol", "SSL");
        assertThatThrownBy(() -> ViewsMain.flags(new String[] {"--kafka", "nonsense"}))
                .hasMessageContaining("property=value");
        assertThatThrownBy(() -> ViewsMain.flags(new String[] {"--views-threads"}))
                .hasMessageContaining("needs a value");
    }

    private int run(String... args) {
        return ViewsMain.run(args, Map.of(), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** As Debezium's testTaskConfigurationIsLoggedWithMaskedPasswords: the start fails at the registry, logged first. */
    @Test
    void theConfigurationIsLoggedWithMaskedSecrets(@TempDir Path folder) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path file = Files.writeString(folder.resolve("views.properties"), "registry-truststore-password=hunter2-file\n"
                + "kafka.ssl.keystore.password=hunter2-keystore\nkafka.ssl.keystore.location=/etc/ks.p12\n");
        Map<String, String> environment = Map.of("INGEST_KAFKA_SASL_JAAS_CONFIG",
                "PlainLoginModule required username=\"u\" password=\"hunter2-jaas\";", "INGEST_CONFIG", file.toString());

        try (CapturedLog log = CapturedLog.of(ViewsMain.class, ViewsApplication.class)) {
            int status = ViewsMain.run(new String[] {"--bootstrap-servers", "127.0.0.1:" + closedPort,
                    "--registry-url", "http://views:hunter2-url@127.0.0.1:" + closedPort, "--registry-basic-auth",
                    "views:hunter2-auth", "--views-state-dir", folder.resolve("state").toString()}, Map.of(),
                    environment, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(status).isEqualTo(1);
            assertThat(err.toString()).contains("not reachable").doesNotContain("hunter2");
            assertThat(log.text()).contains("registry-basic-auth = ****  [flag]",
                    "registry-truststore-password = ****  [file " + file + "]", "kafka.sasl.jaas.config = ****",
                    "kafka.ssl.keystore.password = ****", "registry-url = http://views:****@127.0.0.1:" + closedPort,
                    "kafka.ssl.keystore.location = /etc/ks.p12", "ViewsSettings[").doesNotContain("hunter2");
        }
    }
}
