package io.allsource.ingest.failure;

import io.allsource.ingest.kafka.KafkaAccess;
import io.allsource.ingest.topics.IngestTopics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each step of the worker asks of the Kafka brokers, so that a refusal (an authorization error, fatal for the
 * worker) is told in one line naming the operation, the resource and what the worker was doing:
 * {@code the broker refused WRITE on topic 'ingest.results' (publishing results)}. Consuming: READ on the commands
 * topic and on the group; a claim: DESCRIBE on the commands topic (its log range); publishing and republishing: WRITE
 * on the results and events topics; the dead-letter copy: WRITE on the dead-letter topic. Reply topics are not here:
 * a refused reply route is no failure of the worker (see {@code publish/Publication}). Immutable, so thread-safe.
 */
public final class WorkerAccess {

    private final KafkaAccess consuming;
    private final KafkaAccess claiming;
    private final KafkaAccess publishing;
    private final KafkaAccess deadLettering;

    /**
     * @param topics  the pipeline's topics, as the worker is configured
     * @param groupId the worker's consumer group
     */
    public WorkerAccess(IngestTopics topics, String groupId) {
        this.consuming = KafkaAccess.of("consuming commands")
                .needs(AclOperation.READ, ResourceType.TOPIC, topics.commands(), "consuming commands")
                .needs(AclOperation.READ, ResourceType.GROUP, groupId, "consuming commands in the worker's group");
        this.claiming = KafkaAccess.of("claiming a partition")
                .needs(AclOperation.DESCRIBE, ResourceType.TOPIC, topics.commands(),
                        "reading the commands topic's log range to claim a partition");
        this.publishing = KafkaAccess.of("publishing results and events")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, topics.results(), "publishing results")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, topics.events(), "publishing events");
        this.deadLettering = KafkaAccess.of("copying undecodable commands to the dead-letter topic")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, topics.deadLetters(),
                        "copying undecodable commands to the dead-letter topic");
    }

    /** What the consumers ask of the brokers as they poll: READ on the commands topic and the group. */
    public KafkaAccess consuming() {
        return consuming;
    }

    /** What {@code step} asks of the brokers; a step that asks nothing of them (the database's) lists nothing. */
    public KafkaAccess of(Step step) {
        if (step == null) {
            return consuming;
        }
        return switch (step) {
            case CLAIM -> claiming;
            case PUBLISH, REPUBLISH -> publishing;
            case DEAD_LETTER -> deadLettering;
            default -> KafkaAccess.of(step.tag());
        };
    }

    /**
     * Why {@code step} failed, in one line: the broker's refusal naming the operation and the resource, else the
     * first line of the innermost cause's message.
     */
    public String reason(Step step, Throwable failure) {
        return of(step).refusal(failure).orElseGet(() -> FailureMessages.rootMessage(failure));
    }
}
