package io.allsource.ingest.cli;

import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.KafkaClusterCheck;
import java.time.Duration;
import java.util.Map;

/** Builds the Java client the way the CLI's subcommands use it. */
final class ClientOptions {

    private ClientOptions() {
    }

    /**
     * A client on the pipeline, once the cluster has answered: a cluster that refuses the connection (credentials,
     * TLS) or does not answer is reported in one line naming the settings to check, as {@code ingest run} and
     * {@code ingest views} report it, instead of the client's own exception.
     *
     * @throws UserError when the cluster refuses or does not answer
     */
    static IngestClient client(ConnectionOptions connection, Duration timeout) {
        Map<String, Object> kafka = connection.kafkaProperties();
        try {
            KafkaClusterCheck.connect(kafka, KafkaClusterCheck.DEFAULT_TIMEOUT).close();
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
        return new IngestClient(ClientSettings.of(kafka, connection.registry())
                .withTopics(connection.topics())
                .withTimeout(timeout)
                .withAutoRegisterSchemas(true));
    }
}
