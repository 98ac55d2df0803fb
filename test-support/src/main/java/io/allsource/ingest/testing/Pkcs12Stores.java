package io.allsource.ingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A server's PKCS12 key store (its key and certificate chain, from a {@link TestCertificateAuthority}) and a PKCS12
 * trust store holding only the CA's certificate, for clients that are to check the server as production clients do
 * ({@code ssl.truststore.*}). Each store has a random password of its own; the key's password is its store's.
 * Immutable; {@link #toString()} masks both passwords.
 *
 * @param keyStore           the server's key and its chain (server certificate, then the CA's)
 * @param keyStorePassword   the key store's password, also the key's
 * @param trustStore         the CA's certificate alone
 * @param trustStorePassword the trust store's password
 */
public record Pkcs12Stores(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /** The type of both stores, as Kafka's {@code ssl.keystore.type} and {@code ssl.truststore.type} name it. */
    public static final String TYPE = "PKCS12";

    /**
     * Writes {@code <fileStem>-keystore.p12} and {@code <fileStem>-truststore.p12} into {@code folder}, from a
     * certificate {@code authority} issued and the authority's own certificate.
     *
     * @throws UncheckedIOException  when a file cannot be read or written
     * @throws IllegalStateException when the PEM files do not hold a certificate and an unencrypted key
     */
    public static Pkcs12Stores of(TestCertificateAuthority authority,
            TestCertificateAuthority.IssuedCertificate issued, Path folder, String fileStem) {
        Pkcs12Stores stores = new Pkcs12Stores(folder.resolve(fileStem + "-keystore.p12"),
                "keystore-" + UUID.randomUUID(), folder.resolve(fileStem + "-truststore.p12"),
                "truststore-" + UUID.randomUUID());
        try {
            Certificate caCertificate = readCertificate(authority.certificateFile());
            KeyStore keys = KeyStore.getInstance(TYPE);
            keys.load(null, null);
            keys.setKeyEntry("server", readKey(issued.keyFile()), stores.keyStorePassword.toCharArray(),
                    new Certificate[] {readCertificate(issued.certificateFile()), caCertificate});
            write(keys, stores.keyStore, stores.keyStorePassword);
            KeyStore trust = KeyStore.getInstance(TYPE);
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCertificate);
            write(trust, stores.trustStore, stores.trustStorePassword);
            return stores;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the stores of " + issued.certificateFile(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the stores of " + issued.certificateFile(), e);
        }
    }

    private static Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair) {
                return converter.getKeyPair((PEMKeyPair) parsed).getPrivate();
            }
            if (parsed instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) parsed);
            }
            throw new IllegalStateException(pem + " holds no unencrypted private key but " + parsed);
        }
    }

    private static void write(KeyStore store, Path file, String password) throws IOException,
            GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    @Override
    public String toString() {
        return "Pkcs12Stores[keyStore=" + keyStore + ", keyStorePassword=****, trustStore=" + trustStore
                + ", trustStorePassword=****]";
    }
}
