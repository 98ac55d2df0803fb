package io.allsource.ingest.testing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link KafkaBroker} whose client listener asks for a user name and password (SASL/PLAIN over plaintext), as a
 * production cluster does: the broker properties for {@link KafkaBroker#start(Map, Map)} and the client properties of
 * each user. The users and their passwords are fixed when it is made; one more user, {@value #ADMIN}, with a random
 * password, is the broker's own (it logs in with it on its own listener) and the test's admin client's. The controller
 * listener stays plaintext. Immutable.
 *
 * <p>The test kit names the client listener {@value #LISTENER}; a JAAS configuration for it alone
 * ({@code listener.name.external.plain.sasl.jaas.config}) keeps the test JVM's global JAAS setting untouched.
 */
public final class SaslPlainListener {

    /** The test kit's name of the broker's client listener. */
    public static final String LISTENER = "EXTERNAL";
    /** The broker's own user. */
    public static final String ADMIN = "admin";

    private final Map<String, String> passwords;

    private SaslPlainListener(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /** A listener that lets in these users with these passwords (and {@value #ADMIN}). */
    public static SaslPlainListener withUsers(Map<String, String> passwordsByUser) {
        Map<String, String> passwords = new LinkedHashMap<>(passwordsByUser);
        passwords.put(ADMIN, "admin-" + UUID.randomUUID());
        return new SaslPlainListener(Map.copyOf(passwords));
    }

    /** Broker properties: the listener's protocol, the mechanism, and the users' passwords in its JAAS section. */
    public Map<String, String> brokerConfig() {
        StringBuilder users = new StringBuilder();
        passwords.forEach((user, password) -> users.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        return Map.of(
                "listener.security.protocol.map", LISTENER + ":SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                        + "\" password=\"" + passwords.get(ADMIN) + "\"" + users + ";");
    }

    /** The client properties of {@link #ADMIN}, for {@link KafkaBroker#start(Map, Map)}. */
    public Map<String, Object> adminConfig() {
        return clientConfig(ADMIN, passwords.get(ADMIN));
    }

    /** Client properties that log in as {@code user} with {@code password}, right or wrong. */
    public static Map<String, Object> clientConfig(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                jaasConfig(user, password));
    }

    /** The value of {@code sasl.jaas.config} that logs in as {@code user} with {@code password}. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
