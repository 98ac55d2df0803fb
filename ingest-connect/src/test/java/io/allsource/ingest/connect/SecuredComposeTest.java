package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.settings.ConfigKey;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.secured.yml without Docker (SecuredDockerStackIT in ingest-docker-it starts it): every port on
 * 127.0.0.1 and the registry not published, the worker over SASL_SSL/SCRAM, verify-full TLS as the worker role without
 * migrating and through the registry's HTTPS proxy with basic auth, the Kafka ACLs and the worker's database grants
 * exactly the README's, and every password a variable of the example env file.
 */
class SecuredComposeTest {

    private static final String FILE = "docker-compose.secured.yml";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private final ComposeFile compose = ComposeFile.read(FILE);

    @Test
    void publishesEveryPortOnLoopbackOnlyAndTheRegistryOnlyThroughItsProxy() {
        compose.serviceNames().forEach(service -> assertThat(compose.ports(service)).as("ports of %s", service)
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:")));
        assertThat(compose.ports("registry")).isEmpty();
        assertThat(compose.ports("registry-proxy")).containsExactly("127.0.0.1:8443:8443");
        assertThat(compose.topLevelKeys()).isSubsetOf("version", "services", "volumes", "networks");
    }

    @Test
    void theWorkerLogsInWithItsOwnUsersOverTlsEverywhere() {
        Map<String, String> env = compose.environment("worker");
        Map<String, ConfigKey> settings = ConfigKeys.ALL.stream()
                .collect(Collectors.toMap(ConfigKey::environmentVariable, Function.identity()));

        assertThat(env).containsEntry("INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("INGEST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("INGEST_DB_USER", "ingest_worker").containsEntry("INGEST_MIGRATE", "false")
                .containsEntry("INGEST_REGISTRY_URL", "https://registry-proxy:8443/apis/ccompat/v7");
        assertThat(env.get("INGEST_KAFKA_SASL_JAAS_CONFIG")).contains("ScramLoginModule", "username=\"ingest-worker\"");
        assertThat(env.get("INGEST_DB_URL")).contains("sslmode=verify-full", "sslrootcert=/certs/ca.crt");
        assertThat(env.get("INGEST_REGISTRY_BASIC_AUTH")).startsWith("ingest-worker:");
        assertThat(env.keySet()).filteredOn(name -> !name.startsWith("INGEST_KAFKA_"))
                .as("each a setting of the worker").isSubsetOf(settings.keySet());
        assertThat(compose.dependsOn("worker")).containsEntry("kafka-init", "service_completed_successfully")
                .containsEntry("db-grants", "service_completed_successfully")
                .containsEntry("registry-proxy", "service_healthy");
    }

    @Test
    void kafkaHasOnlySaslSslListenersOutsideTheControllerAndAnAuthorizerThatDeniesByDefault() {
        Map<String, String> env = compose.environment("kafka");

        assertThat(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                .isEqualTo("INTERNAL:SASL_SSL,CONTROLLER:PLAINTEXT,HOST:SASL_SSL");
        assertThat(env).containsEntry("KAFKA_LISTENER_NAME_HOST_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
                .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(compose.ports("kafka")).containsExactly("127.0.0.1:9094:9094");
    }

    @Test
    void kafkaInitGrantsExactlyTheReadmesAcls() throws IOException {
        assertThat(aclLines(ComposeFile.text("docker/secured/kafka-init.sh"), "acl ",
                Map.of("$worker", "User:ingest-worker", "$client", "User:ingest-client", "$views",
                        "User:ingest-views", "$connect", "User:ingest-connect")))
                .isEqualTo(aclLines(Files.readString(RepositoryFiles.file("README.md")), "$ACLS ", Map.of()))
                .isNotEmpty();
    }

    @Test
    void theWorkersDatabaseGrantsAreTheReadmes() throws IOException {
        String readme = Files.readString(RepositoryFiles.file("README.md"));
        String block = readme.substring(readme.indexOf("-- The worker's grants"));
        block = block.substring(0, block.indexOf("```"));

        assertThat(statements(ComposeFile.text("docker/secured/worker-grants.sql"))).isEqualTo(statements(block))
                .hasSize(8);
    }

    @Test
    void everyPasswordIsAVariableOfTheExampleEnvFile() throws IOException {
        Properties example = new Properties();
        try (Reader reader = Files.newBufferedReader(RepositoryFiles.file("docker/secured/secured.env"))) {
            example.load(reader);
        }
        Set<String> used = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(ComposeFile.text(FILE));
        while (matcher.find()) {
            used.add(matcher.group(1));
        }

        assertThat(used).as("variables without a default").isEqualTo(example.stringPropertyNames());
        assertThat(example.stringPropertyNames()).allSatisfy(name -> assertThat(example.getProperty(name))
                .as("an example value, for a machine of one's own").startsWith("local-"));
    }

    /** The ACL commands' arguments, continuation lines joined, principals' variables replaced. */
    private static Set<String> aclLines(String text, String prefix, Map<String, String> principals) {
        Set<String> lines = new TreeSet<>();
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            current.append(trimmed.endsWith("\\") ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (!trimmed.endsWith("\\")) {
                joined.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        for (String line : joined) {
            if (line.startsWith(prefix)) {
                String arguments = line.substring(prefix.length());
                for (Map.Entry<String, String> principal : principals.entrySet()) {
                    arguments = arguments.replace(principal.getKey(), principal.getValue());
                }
                lines.add(arguments);
            }
        }
        return lines;
    }

    private static List<String> statements(String sql) {
        return sql.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("--")).toList();
    }
}
