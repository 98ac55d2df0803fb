package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.ConfigChecks.any;
import static io.allsource.ingest.settings.ConfigChecks.bool;
import static io.allsource.ingest.settings.ConfigChecks.httpUrl;
import static io.allsource.ingest.settings.ConfigChecks.oneOf;
import static io.allsource.ingest.settings.ConfigChecks.replicationFactor;
import static io.allsource.ingest.settings.ConfigChecks.topicName;
import static io.allsource.ingest.settings.ConfigChecks.userInfo;

import java.util.List;

/**
 * The keys that more than one component reads, defined once so that they mean the same everywhere: the Kafka
 * connection, the schema registry, the events topic and topic creation. Each component's catalogue lists those it
 * reads beside its own. Kafka client properties beyond these pass through with the prefix {@value #KAFKA_PREFIX}.
 */
public final class CommonKeys {

    /** The prefix of Kafka client properties passed through unchanged, as {@code kafka.security.protocol}. */
    public static final String KAFKA_PREFIX = "kafka.";

    public static final ConfigKey BOOTSTRAP_SERVERS = new ConfigKey("bootstrap-servers", null, false,
            "Kafka bootstrap servers, host:port[,host:port...]", any());
    public static final ConfigKey REGISTRY_URL = new ConfigKey("registry-url", null, false,
            "Confluent-compatible schema registry URL (Apicurio: http://host:8080/apis/ccompat/v7)", httpUrl());
    public static final ConfigKey REGISTRY_BASIC_AUTH = new ConfigKey("registry-basic-auth", null, true,
            "Schema registry credentials, user:password", userInfo());
    public static final ConfigKey REGISTRY_TRUSTSTORE = new ConfigKey("registry-truststore", null, false,
            "Trust store for the schema registry's TLS certificate", any());
    public static final ConfigKey REGISTRY_TRUSTSTORE_PASSWORD = new ConfigKey("registry-truststore-password", null,
            true, "Password of the registry trust store", any());
    public static final ConfigKey REGISTRY_TRUSTSTORE_TYPE = new ConfigKey("registry-truststore-type", "PKCS12",
            false, "Type of the registry trust store", oneOf("PKCS12", "JKS"));

    public static final ConfigKey TOPIC_EVENTS = new ConfigKey("topic-events", "ingest.events", false,
            "Events topic: the worker writes it, the views read it", topicName());
    public static final ConfigKey CREATE_TOPICS = new ConfigKey("create-topics", "false", false,
            "Create missing topics at start (the worker's with 32 partitions, the views' alerts topic with one),"
                    + " instead of refusing to start", bool());
    public static final ConfigKey TOPIC_REPLICATION_FACTOR = new ConfigKey("topic-replication-factor", "-1", false,
            "Replication factor of the topics created at start, and of the views' internal topics (-1: the broker's"
                    + " default)", replicationFactor());

    /** The keys of the schema registry, which {@link Configuration#registrySettings()} reads. */
    public static final List<ConfigKey> REGISTRY = List.of(REGISTRY_URL, REGISTRY_BASIC_AUTH, REGISTRY_TRUSTSTORE,
            REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE);

    private CommonKeys() {
    }
}
