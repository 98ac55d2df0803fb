package io.allsource.ingest.cli;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.testing.IngestGrants;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real distributed Kafka Connect worker in the test JVM (Apache Kafka's own {@link ConnectDistributed}, as {@code
 * connect-distributed.sh} starts it), on a {@link SecuredDeployment}'s broker as the Connect principal: its group, its
 * config, offset and status topics and its REST API on a free loopback port, as {@code connect/connect-distributed
 * .properties} sets them up, with SASL_SSL for its own clients and, {@code consumer.}-prefixed, for its sinks'
 * consumers. The test harness ({@code EmbeddedConnectCluster}) always starts a broker of its own, so it cannot run
 * here. Used by one thread; closing stops the worker.
 */
final class SecuredConnectWorker implements AutoCloseable {

    private final Connect<DistributedHerder> connect;

    private SecuredConnectWorker(Connect<DistributedHerder> connect) {
        this.connect = connect;
    }

    /** Starts the worker; it joins its group and reads its topics on a thread of its own. */
    static SecuredConnectWorker start(SecuredDeployment deployment) {
        IngestGrants.Names names = deployment.names();
        Map<String, String> properties = new HashMap<>();
        properties.put("bootstrap.servers", deployment.kafka().bootstrapServers());
        deployment.kafka().clientConfig(IngestGrants.userName(IngestGrants.CONNECT)).forEach((name, value) -> {
            properties.put(name, value.toString());
            properties.put("consumer." + name, value.toString());
        });
        properties.put("group.id", names.connectGroup());
        properties.put("config.storage.topic", names.connectTopics().get(0));
        properties.put("offset.storage.topic", names.connectTopics().get(1));
        properties.put("status.storage.topic", names.connectTopics().get(2));
        for (String store : new String[] {"config", "offset", "status"}) {
            properties.put(store + ".storage.replication.factor", "1");
        }
        properties.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        properties.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        properties.put("listeners", "http://127.0.0.1:" + FreePorts.find());
        properties.put("rest.advertised.host.name", "127.0.0.1");
        properties.put("offset.flush.interval.ms", "1000");
        // the connectors and converters on the test classpath declare themselves to the ServiceLoader
        properties.put("plugin.discovery", "service_load");
        return new SecuredConnectWorker(new ConnectDistributed().startConnect(properties));
    }

    /**
     * Asks the worker to create a file sink of the events topic named {@code name}, writing to {@code file}, whose
     * values {@link EventRecordTextConverter} decodes through the registry as the Connect principal's registry user.
     *
     * @return completes once the worker has stored the connector's configuration
     */
    Future<Herder.Created<ConnectorInfo>> createEventsFileSink(SecuredDeployment deployment, String name, Path file) {
        Map<String, String> config = new HashMap<>();
        config.put("name", name);
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", deployment.topics().events());
        config.put("file", file.toString());
        config.put("value.converter", EventRecordTextConverter.class.getName());
        String user = IngestGrants.userName(IngestGrants.CONNECT);
        deployment.registryConverterConfig(user).forEach((key, value) -> config.put("value.converter." + key, value));
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        connect.herder().putConnectorConfig(name, config, false, created);
        return created;
    }

    ConnectorStateInfo status(String connector) {
        return connect.herder().connectorStatus(connector);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
