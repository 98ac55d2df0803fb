package io.allsource.ingest.kafka;

import java.util.HashSet;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which Kafka client properties are secrets, so that they are never printed: those the Kafka clients themselves define
 * as passwords, and any property whose name says it holds one. Shared by the worker and the client, which both print
 * the properties they were given.
 */
public final class KafkaSecrets {

    private static final Set<String> PASSWORD_PROPERTIES = passwordProperties();

    private KafkaSecrets() {
    }

    public static boolean isSecret(String property) {
        String lower = property.toLowerCase(Locale.ROOT);
        return PASSWORD_PROPERTIES.contains(property) || lower.contains("password") || lower.contains("secret")
                || lower.contains("jaas") || lower.contains("passphrase") || lower.contains("credentials")
                || lower.endsWith(".key");
    }

    /** {@code properties}, sorted by name, with the values of secrets replaced by {@code ****}. */
    public static Map<String, Object> masked(Map<String, ?> properties) {
        Map<String, Object> masked = new TreeMap<>();
        properties.forEach((name, value) -> masked.put(name, isSecret(name) ? "****" : value));
        return masked;
    }

    private static Set<String> passwordProperties() {
        Set<String> names = new HashSet<>();
        for (ConfigDef definition : new ConfigDef[] {ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef()}) {
            definition.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return Set.copyOf(names);
    }
}
