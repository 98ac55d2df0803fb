package io.allsource.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time, as an operator's private CA would be: a self-signed CA certificate
 * (written as PEM, for a client's {@code sslrootcert}) whose key signs server certificates for the names given. Keys
 * are RSA 2048, certificates valid for two days. Thread-safe (immutable but for the key, which only signs).
 */
public final class TestCertificateAuthority {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path certificateFile;

    private TestCertificateAuthority(X500Name name, KeyPair keys, X509Certificate certificate, Path certificateFile) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
    }

    /**
     * Makes a CA called {@code commonName} and writes its certificate to {@code folder/<commonName>.crt}.
     *
     * @throws IllegalStateException when the JDK or BouncyCastle cannot make the key or certificate
     */
    public static TestCertificateAuthority create(Path folder, String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair keys = rsaKeys();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys);
            Path file = folder.resolve(commonName + ".crt");
            writePem(file, certificate);
            return new TestCertificateAuthority(name, keys, certificate, file);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot make the test CA " + commonName, e);
        }
    }

    /** The CA's certificate as PEM: what a client that is to trust this CA's certificates names as its root. */
    public Path certificateFile() {
        return certificateFile;
    }

    /**
     * Issues a server certificate whose subject alternative names are exactly {@code dnsNames} and {@code ipAddresses}
     * (common name the first of them), and writes it, and its unencrypted private key (PKCS#8 PEM, readable by its
     * owner only, as PostgreSQL requires), into {@code folder}.
     *
     * @throws IllegalArgumentException when no name is given
     */
    public IssuedCertificate issueServerCertificate(Path folder, String fileStem, List<String> dnsNames,
            List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("A server certificate needs at least one name");
        }
        String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        KeyPair serverKeys = rsaKeys();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, new X500Name("CN=" + commonName), serverKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            X509Certificate issued = sign(builder, keys);
            Path certificateFile = folder.resolve(fileStem + ".crt");
            Path keyFile = folder.resolve(fileStem + ".key");
            writePem(certificateFile, issued);
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            writePem(keyFile, serverKeys.getPrivate());
            return new IssuedCertificate(certificateFile, keyFile);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot issue a certificate for " + names, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the certificate for " + names + " into " + folder, e);
        }
    }

    /**
     * A certificate this CA issued and its private key, both PEM files.
     *
     * @param certificateFile the certificate
     * @param keyFile         its private key, unencrypted, readable by its owner only
     */
    public record IssuedCertificate(Path certificateFile, Path keyFile) {
    }

    @Override
    public String toString() {
        return "TestCertificateAuthority[" + name + ", " + certificateFile + "]";
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot sign with " + SIGNATURE, e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot make RSA keys", e);
        }
    }

    private static void writePem(Path file, Object value) {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
