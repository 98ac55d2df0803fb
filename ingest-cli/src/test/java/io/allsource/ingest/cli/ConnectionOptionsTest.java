package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.testing.TestCertificateAuthority;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How the subcommands that talk to the pipeline log in: Kafka client properties from {@code --kafka} flags over
 * {@code INGEST_KAFKA_...} variables, the registry's credentials and trust store from their flags over their variables.
 */
class ConnectionOptionsTest {

    private static final String STORE_PASSWORD = "store-pw";

    @Test
    void kafkaPropertiesTakeTheFlagsOverTheVariablesBesideTheBootstrapServers() {
        ConnectionOptions options = parse(Map.of("INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "INGEST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "INGEST_KAFKA_", "ignored"),
                "--bootstrap-servers", "broker:9093", "--kafka", "security.protocol=SASL_SSL", "--kafka",
                "ssl.truststore.type=PKCS12");

        assertThat(options.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL", "sasl.mechanism",
                "SCRAM-SHA-512", "ssl.truststore.type", "PKCS12"));
    }

    @Test
    void theRegistryIsAskedWithTheCredentialsAndTrustStoreOfTheFlags(@TempDir Path folder) throws Exception {
        Path store = trustStore(folder, "PKCS12");
        ConnectionOptions options = parse(Map.of("INGEST_REGISTRY_BASIC_AUTH", "other:secret"),
                "--registry-url", "https://registry:8081", "--registry-basic-auth", "ingest:pw",
                "--registry-truststore", store.toString(), "--registry-truststore-password", STORE_PASSWORD);

        RegistrySettings settings = options.registry().settings();

        assertThat(settings.basicAuthUserInfo()).isEqualTo("ingest:pw");
        assertThat(settings.trustStore()).isEqualTo(store);
        assertThat(settings.trustStorePassword()).isEqualTo(STORE_PASSWORD);
        assertThat(settings.trustStoreType()).isEqualTo("PKCS12");
    }

    @Test
    void theRegistryCredentialsAndTrustStoreComeFromTheVariablesWithoutFlags(@TempDir Path folder)
            throws Exception {
        Path store = trustStore(folder, "JKS");
        ConnectionOptions options = parse(Map.of("INGEST_REGISTRY_BASIC_AUTH", "ingest:pw",
                "INGEST_REGISTRY_TRUSTSTORE", store.toString(), "INGEST_REGISTRY_TRUSTSTORE_PASSWORD",
                STORE_PASSWORD, "INGEST_REGISTRY_TRUSTSTORE_TYPE", "JKS"), "--registry-url", "https://registry:8081");

        RegistrySettings settings = options.registry().settings();

        assertThat(settings.basicAuthUserInfo()).isEqualTo("ingest:pw");
        assertThat(settings.trustStore()).isEqualTo(store);
        assertThat(settings.trustStorePassword()).isEqualTo(STORE_PASSWORD);
        assertThat(settings.trustStoreType()).isEqualTo("JKS");
    }

    @Test
    void withoutCredentialsTheRegistryIsAskedWithoutThem() {
        RegistrySettings settings = parse(Map.of(), "--registry-url", "http://registry:8080").registry().settings();

        assertThat(settings.basicAuthUserInfo()).isNull();
        assertThat(settings.trustStore()).isNull();
    }

    /** A trust store of {@code type} holding a CA's certificate: the registry client loads it when made. */
    private static Path trustStore(Path folder, String type) throws Exception {
        Path caFile = TestCertificateAuthority.create(folder, "registry-ca").certificateFile();
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = folder.resolve("registry-truststore." + type.toLowerCase(Locale.ROOT));
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    private static ConnectionOptions parse(Map<String, String> environment, String... args) {
        ConnectionOptions options = new ConnectionOptions().environment(environment);
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
