package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs of the pipeline's principals, least privilege, in one place: exactly what each needs for the topic
 * names and group ids given, and nothing else (the README's "Kafka: SASL_SSL, SCRAM and ACLs" lists the same set for
 * the default names). All ALLOW, from any host. Topics are created by an admin, so no principal may create one but the
 * views' internal topics. Immutable.
 *
 * <ul>
 *   <li>{@value #WORKER}: READ the commands topic and its group; WRITE the results, events and dead-letter topics and
 *   the reply topics (by prefix). WRITE and READ imply DESCRIBE, which the start-up checks, the lag monitor and the
 *   claims' log checks use; WRITE on a topic lets its idempotent producer start (no IDEMPOTENT_WRITE on the cluster
 *   since Kafka 3.0).</li>
 *   <li>{@value #CLIENT} ({@code IngestClient}, {@code ingest append}): WRITE the commands topic, READ the results
 *   topic (it reads without a group).</li>
 *   <li>{@value #VIEWS} (Kafka Streams, exactly-once): READ the events topic, WRITE the alerts topic, READ its
 *   application id as a group, and by the prefix {@code <application id>-}: CREATE, READ, WRITE and DELETE its
 *   internal topics (changelogs, repartition topics, whose records it deletes once processed), WRITE its
 *   transactional ids.</li>
 *   <li>{@value #CONNECT} (a distributed Connect worker with sinks): READ its worker group, READ and WRITE its config,
 *   offset and status topics, READ the sinks' groups (prefix {@code connect-<connector prefix>}) and the events
 *   topic.</li>
 * </ul>
 */
public final class IngestGrants {

    /** The worker's principal. */
    public static final String WORKER = "User:ingest-worker";
    /** The principal of the services that send commands. */
    public static final String CLIENT = "User:ingest-client";
    /** The live views' principal. */
    public static final String VIEWS = "User:ingest-views";
    /** The Kafka Connect worker's principal. */
    public static final String CONNECT = "User:ingest-connect";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The names the grants are for.
     *
     * @param commands            the commands topic
     * @param results             the results topic
     * @param events              the events topic
     * @param deadLetters         the dead-letter topic
     * @param workerGroup         the workers' group id ({@code group-id})
     * @param replyTopicPrefix    the prefix every reply topic's name starts with
     * @param viewsApplicationId  the views' application id ({@code views-application-id})
     * @param alerts              the views' alerts topic
     * @param connectGroup        the Connect worker's {@code group.id}
     * @param connectTopics       its {@code config.storage.topic}, {@code offset.storage.topic} and
     *                            {@code status.storage.topic}
     * @param connectorPrefix     the prefix of the names of the connectors that read the events topic (their groups
     *                            are {@code connect-<name>})
     */
    public record Names(String commands, String results, String events, String deadLetters, String workerGroup,
            String replyTopicPrefix, String viewsApplicationId, String alerts, String connectGroup,
            List<String> connectTopics, String connectorPrefix) {

        public Names {
            connectTopics = List.copyOf(connectTopics);
        }

        /** The defaults of the worker, the views and {@code connect/connect-distributed.properties}. */
        public static final Names DEFAULTS = new Names("ingest.commands", "ingest.results", "ingest.events",
                "ingest.commands.dlq", "ingest-worker", "ingest.replies.", "ingest-views", "ingest.alerts",
                "ingest-connect", List.of("ingest-connect-configs", "ingest-connect-offsets",
                        "ingest-connect-status"), "ingest-events");

        /** Every name with {@code prefix} in front (for a test's own topics and groups). */
        public Names withPrefix(String prefix) {
            return new Names(prefix + commands, prefix + results, prefix + events, prefix + deadLetters,
                    prefix + workerGroup, prefix + replyTopicPrefix, prefix + viewsApplicationId, prefix + alerts,
                    prefix + connectGroup, connectTopics.stream().map(topic -> prefix + topic).toList(),
                    prefix + connectorPrefix);
        }
    }

    private final Names names;
    private final Set<AclBinding> bindings;

    private IngestGrants(Names names, Set<AclBinding> bindings) {
        this.names = names;
        this.bindings = bindings;
    }

    /** The grants of every principal for {@code names}. */
    public static IngestGrants of(Names names) {
        List<AclBinding> all = new ArrayList<>();
        all.add(literal(WORKER, ResourceType.TOPIC, names.commands(), AclOperation.READ));
        all.add(literal(WORKER, ResourceType.GROUP, names.workerGroup(), AclOperation.READ));
        for (String topic : List.of(names.results(), names.events(), names.deadLetters())) {
            all.add(literal(WORKER, ResourceType.TOPIC, topic, AclOperation.WRITE));
        }
        all.add(prefixed(WORKER, ResourceType.TOPIC, names.replyTopicPrefix(), AclOperation.WRITE));

        all.add(literal(CLIENT, ResourceType.TOPIC, names.commands(), AclOperation.WRITE));
        all.add(literal(CLIENT, ResourceType.TOPIC, names.results(), AclOperation.READ));

        all.add(literal(VIEWS, ResourceType.TOPIC, names.events(), AclOperation.READ));
        all.add(literal(VIEWS, ResourceType.TOPIC, names.alerts(), AclOperation.WRITE));
        all.add(literal(VIEWS, ResourceType.GROUP, names.viewsApplicationId(), AclOperation.READ));
        String internal = names.viewsApplicationId() + "-";
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DELETE)) {
            all.add(prefixed(VIEWS, ResourceType.TOPIC, internal, operation));
        }
        all.add(prefixed(VIEWS, ResourceType.TRANSACTIONAL_ID, internal, AclOperation.WRITE));

        all.add(literal(CONNECT, ResourceType.GROUP, names.connectGroup(), AclOperation.READ));
        for (String topic : names.connectTopics()) {
            all.add(literal(CONNECT, ResourceType.TOPIC, topic, AclOperation.READ));
            all.add(literal(CONNECT, ResourceType.TOPIC, topic, AclOperation.WRITE));
        }
        all.add(prefixed(CONNECT, ResourceType.GROUP, "connect-" + names.connectorPrefix(), AclOperation.READ));
        all.add(literal(CONNECT, ResourceType.TOPIC, names.events(), AclOperation.READ));
        return new IngestGrants(names, Set.copyOf(new LinkedHashSet<>(all)));
    }

    /** The SCRAM user name of {@code principal}: its name without {@code User:}. */
    public static String userName(String principal) {
        return principal.substring(principal.indexOf(':') + 1);
    }

    public Names names() {
        return names;
    }

    /** Every grant. */
    public Set<AclBinding> bindings() {
        return bindings;
    }

    /** The grants of {@code principal} ({@code User:...}). */
    public Set<AclBinding> of(String principal) {
        return bindings.stream().filter(binding -> binding.entry().principal().equals(principal))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** These grants without those in {@code left out}: for a test that takes one away. */
    public Set<AclBinding> without(Collection<AclBinding> leftOut) {
        Set<AclBinding> rest = new LinkedHashSet<>(bindings);
        rest.removeAll(leftOut);
        return Set.copyOf(rest);
    }

    /**
     * Creates every grant on {@code broker} (through its admin client, which must be a super user's) and returns once
     * the broker's authorizer lists them all.
     *
     * @throws IllegalStateException when the broker refuses them or does not list them within 30 s
     */
    public void applyTo(KafkaBroker broker) {
        try {
            broker.admin().createAcls(bindings).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitListed(broker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the ACLs " + bindings, e);
        }
    }

    /** The broker answers from its authorizer's copy of the metadata, the copy that decides its clients' requests. */
    private void awaitListed(KafkaBroker broker) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Collection<AclBinding> listed = broker.admin().describeAcls(AclBindingFilter.ANY).values()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (listed.containsAll(bindings)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The broker lists " + listed.size() + " of the " + bindings.size()
                        + " ACLs after " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(50); // no event to wait on from here
        }
    }

    private static AclBinding literal(String principal, ResourceType type, String name, AclOperation operation) {
        return binding(principal, new ResourcePattern(type, name, PatternType.LITERAL), operation);
    }

    private static AclBinding prefixed(String principal, ResourceType type, String prefix, AclOperation operation) {
        return binding(principal, new ResourcePattern(type, prefix, PatternType.PREFIXED), operation);
    }

    /** One ALLOW grant from any host, as {@code kafka-acls.sh --add --allow-principal} makes it. */
    public static AclBinding binding(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
