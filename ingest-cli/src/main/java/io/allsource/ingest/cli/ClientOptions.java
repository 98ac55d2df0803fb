package io.allsource.ingest.cli;

import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import java.time.Duration;
import java.util.Map;

/** Builds the Java client the way the CLI's subcommands use it. */
final class ClientOptions {

    private ClientOptions() {
    }

    static IngestClient client(ConnectionOptions connection, Duration timeout) {
        return new IngestClient(ClientSettings.of(Map.of("bootstrap.servers", connection.bootstrapServers()),
                        connection.registry())
                .withTopics(connection.topics())
                .withTimeout(timeout)
                .withAutoRegisterSchemas(true));
    }
}
