package io.allsource.ingest.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * A {@link KafkaBroker} of a test class's own secured as a production cluster is: its client listener ({@value
 * #LISTENER}) is SASL_SSL, with a server certificate for {@code localhost} and {@code 127.0.0.1} signed by a {@link
 * TestCertificateAuthority} made for it (clients check it, host name included, against a PKCS12 trust store holding
 * that CA); its users log in with SCRAM-SHA-512; Kafka's {@code StandardAuthorizer} with {@code
 * allow.everyone.if.no.acl.found=false} lets a user do only what an ACL grants it. Each user named at start gets a
 * random password; {@link #clientConfig(String)} gives its client properties.
 *
 * <p>Super users: {@value #BROKER} (the broker logs in as it on its own listener, for the transaction markers it sends
 * itself), {@value #ADMIN} (the test's admin client, {@link KafkaBroker#admin()}: credentials, topics and ACLs) and
 * {@code User:ANONYMOUS}, the principal of the test kit's plaintext controller listener, on which the broker talks to
 * its controller; no client of the secured listener can be ANONYMOUS, since it must authenticate.
 *
 * <p>The first login: SCRAM credentials live in the cluster's metadata, so an admin must log in to create them. An
 * operator creates the first at format time ({@code kafka-storage.sh format --add-scram}), which the test kit does not
 * offer, and the admin client refuses {@code alterUserScramCredentials} on {@code bootstrap.controllers}
 * ({@code UnsupportedEndpointTypeException}). So {@value #BROKER} and {@value #ADMIN}, and only they, log in with a
 * mechanism of their own on the same listener, SASL/PLAIN over the same TLS, their passwords in the listener's PLAIN
 * JAAS section (the broker's configuration, not the metadata): the listener enables {@code SCRAM-SHA-512,PLAIN}, and
 * PLAIN knows no other user. The admin then creates every user's SCRAM credential ({@code alterUserScramCredentials},
 * 4096 iterations), and the start returns once the broker lists them all. Immutable after the start; thread-safe.
 */
public final class ScramSslKafka implements AutoCloseable {

    /** The test kit's name of the broker's client listener. */
    public static final String LISTENER = "EXTERNAL";
    /** The users' SASL mechanism. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The mechanism of {@value #ADMIN} and {@value #BROKER} alone. */
    public static final String ADMIN_MECHANISM = "PLAIN";
    /** The broker's own user. */
    public static final String BROKER = "broker";
    /** The test's admin user: creates topics and ACLs. */
    public static final String ADMIN = "admin";

    private static final int ITERATIONS = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private final KafkaBroker broker;
    private final Pkcs12Stores stores;
    private final Map<String, String> passwords;

    private ScramSslKafka(KafkaBroker broker, Pkcs12Stores stores, Map<String, String> passwords) {
        this.broker = broker;
        this.stores = stores;
        this.passwords = passwords;
    }

    /**
     * Makes the CA, the broker's certificate and the stores in {@code folder}, starts the broker and creates the SCRAM
     * credentials of {@code users}.
     *
     * @throws IllegalStateException when the broker does not start or the credentials are not in force within 30 s
     */
    public static ScramSslKafka start(Path folder, Collection<String> users) {
        TestCertificateAuthority authority = TestCertificateAuthority.create(folder, "kafka-test-ca");
        Pkcs12Stores stores = Pkcs12Stores.of(authority, authority.issueServerCertificate(folder, "kafka-broker",
                List.of("localhost"), List.of("127.0.0.1")), folder, "kafka-broker");
        Map<String, String> passwords = new LinkedHashMap<>();
        users.forEach(user -> passwords.put(user, user + "-" + UUID.randomUUID()));
        passwords.put(ADMIN, "admin-" + UUID.randomUUID());
        passwords.put(BROKER, "broker-" + UUID.randomUUID());
        KafkaBroker broker = KafkaBroker.start(brokerConfig(stores, passwords),
                adminConfig(stores, passwords.get(ADMIN)));
        ScramSslKafka kafka = new ScramSslKafka(broker, stores, Map.copyOf(passwords));
        try {
            kafka.createCredentials();
            return kafka;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private static Map<String, String> brokerConfig(Pkcs12Stores stores, Map<String, String> passwords) {
        String listener = "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> config = new HashMap<>();
        config.put("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:PLAINTEXT");
        config.put("sasl.enabled.mechanisms", MECHANISM + "," + ADMIN_MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", ADMIN_MECHANISM);
        // SCRAM's section names no user: their credentials are in the metadata
        config.put(listener + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // PLAIN's section: the broker's own login, then the only two users PLAIN lets in
        config.put(listener + ADMIN_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER
                        + "\" password=\"" + passwords.get(BROKER) + "\" user_" + BROKER + "=\""
                        + passwords.get(BROKER) + "\" user_" + ADMIN + "=\"" + passwords.get(ADMIN) + "\";");
        config.put(listener + "ssl.keystore.location", stores.keyStore().toString());
        config.put(listener + "ssl.keystore.password", stores.keyStorePassword());
        config.put(listener + "ssl.key.password", stores.keyStorePassword());
        config.put(listener + "ssl.keystore.type", Pkcs12Stores.TYPE);
        // the broker's own connections to this listener check its certificate as every client does
        config.put(listener + "ssl.truststore.location", stores.trustStore().toString());
        config.put(listener + "ssl.truststore.password", stores.trustStorePassword());
        config.put(listener + "ssl.truststore.type", Pkcs12Stores.TYPE);
        config.put("authorizer.class.name", AUTHORIZER);
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:ANONYMOUS;User:" + BROKER + ";User:" + ADMIN);
        return config;
    }

    private void createCredentials() {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        scramUsers().forEach(user -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), passwords.get(user))));
        try {
            broker.admin().alterUserScramCredentials(upserts).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitCredentialsAtTheBroker();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the SCRAM credentials", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the SCRAM credentials of " + scramUsers(), e);
        }
    }

    private List<String> scramUsers() {
        return passwords.keySet().stream().filter(user -> !user.equals(ADMIN) && !user.equals(BROKER)).toList();
    }

    /**
     * Waits until the broker lists every user's credential: it applies the controller's metadata with no event a
     * client can wait on.
     */
    private void awaitCredentialsAtTheBroker() throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Map<String, UserScramCredentialsDescription> listed = broker.admin().describeUserScramCredentials()
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (listed.keySet().containsAll(scramUsers())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The broker lists the SCRAM credentials of " + listed.keySet()
                        + ", not of all of " + scramUsers() + ", after " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The broker, whose {@link KafkaBroker#admin()} logs in as {@value #ADMIN}: a super user. */
    public KafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The password of {@code user}, one named at start, or {@value #ADMIN}, or {@value #BROKER}. */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No user " + user + "; the users are " + passwords.keySet());
        }
        return password;
    }

    /** The stores of the broker's certificate; clients use the trust store. */
    public Pkcs12Stores stores() {
        return stores;
    }

    /** The client properties of {@code user} with its password: bootstrap servers not included. */
    public Map<String, Object> clientConfig(String user) {
        return clientConfig(stores, user, password(user));
    }

    /** The client properties of {@value #ADMIN}, a super user: bootstrap servers not included. */
    public Map<String, Object> adminConfig() {
        return adminConfig(stores, password(ADMIN));
    }

    private static Map<String, Object> adminConfig(Pkcs12Stores stores, String password) {
        Map<String, Object> config = new HashMap<>(clientConfig(stores, ADMIN, password));
        config.put("sasl.mechanism", ADMIN_MECHANISM);
        config.put("sasl.jaas.config", plainJaasConfig(ADMIN, password));
        return Map.copyOf(config);
    }

    /** The client properties of {@code user} logging in with {@code password}, right or wrong. */
    public Map<String, Object> clientConfig(String user, String password) {
        return clientConfig(stores, user, password);
    }

    private static Map<String, Object> clientConfig(Pkcs12Stores stores, String user, String password) {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfig(user, password),
                "ssl.truststore.location", stores.trustStore().toString(),
                "ssl.truststore.password", stores.trustStorePassword(),
                "ssl.truststore.type", Pkcs12Stores.TYPE);
    }

    /** The value of {@code sasl.jaas.config} that logs in as {@code user} with {@code password}. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String plainJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /**
     * Every secret this broker was given or gave out: each password, each JAAS configuration made of one (SCRAM and
     * PLAIN), both store passwords. For tests that check none is ever printed.
     */
    public Set<String> secrets() {
        Set<String> secrets = new HashSet<>();
        passwords.forEach((user, password) -> {
            secrets.add(password);
            secrets.add(jaasConfig(user, password));
            secrets.add(plainJaasConfig(user, password));
        });
        secrets.add(stores.keyStorePassword());
        secrets.add(stores.trustStorePassword());
        return Set.copyOf(secrets);
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "ScramSslKafka[" + broker.bootstrapServers() + ", users " + passwords.keySet() + "]";
    }
}
