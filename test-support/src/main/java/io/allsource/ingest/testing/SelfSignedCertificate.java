package io.allsource.ingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed TLS certificate for {@code localhost} and {@code 127.0.0.1}, made with the JDK's {@code keytool} as an
 * operator would make one: a PKCS12 key store holding the key and the certificate (for a test server) and a PKCS12
 * trust store holding only the certificate (for the clients that are to trust it), both with one random password.
 * Immutable.
 *
 * @param keyStore   the key and its certificate
 * @param trustStore the certificate alone
 * @param password   the password of both stores
 */
public record SelfSignedCertificate(Path keyStore, Path trustStore, String password) {

    private static final String ALIAS = "test-server";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    /**
     * Makes the certificate and its two stores in {@code folder}.
     *
     * @throws IllegalStateException when keytool fails, with its output
     */
    public static SelfSignedCertificate create(Path folder) {
        SelfSignedCertificate certificate = new SelfSignedCertificate(folder.resolve("server-keystore.p12"),
                folder.resolve("truststore.p12"), UUID.randomUUID().toString());
        Path pem = folder.resolve("server-certificate.pem");
        certificate.keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore",
                certificate.keyStore.toString(), "-storetype", "PKCS12", "-storepass", certificate.password);
        certificate.keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", certificate.keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", certificate.password, "-file", pem.toString());
        certificate.keytool("-importcert", "-noprompt", "-alias", ALIAS, "-file", pem.toString(), "-keystore",
                certificate.trustStore.toString(), "-storetype", "PKCS12", "-storepass", certificate.password);
        return certificate;
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key store " + keyStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the key store " + keyStore, e);
        }
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[keyStore=" + keyStore + ", trustStore=" + trustStore + ", password=****]";
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " still runs after "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with exit status "
                        + process.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }
}
