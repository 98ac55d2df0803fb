package io.allsource.ingest.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.topics.IngestTopics;
import java.sql.SQLException;
import java.util.Set;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Each step of the worker names the operation it was refused, on the topic or group the broker names or it uses. */
class WorkerAccessTest {

    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix("acme.");
    private final WorkerAccess access = new WorkerAccess(topics, "acme-workers");

    @Test
    void namesReadOnTheCommandsTopicOrTheGroupForTheConsumer() {
        assertThat(access.consuming().refusal(new TopicAuthorizationException(Set.of(topics.commands()))))
                .hasValue("the broker refused READ on topic 'acme.ingest.commands' (consuming commands)");
        assertThat(access.consuming().refusal(GroupAuthorizationException.forGroupId("acme-workers")))
                .hasValue("the broker refused READ on group 'acme-workers' (consuming commands in the worker's"
                        + " group)");
        assertThat(access.of(null)).isSameAs(access.consuming());
    }

    @Test
    void namesWriteOnTheTopicOfEachPublication() {
        for (Step step : new Step[] {Step.PUBLISH, Step.REPUBLISH}) {
            assertThat(access.reason(step, new PublishException("p", new TopicAuthorizationException(
                    Set.of(topics.results()))))).isEqualTo("the broker refused WRITE on topic 'acme.ingest.results'"
                            + " (publishing results)");
        }
        assertThat(access.reason(Step.DEAD_LETTER, new PublishException("p", new TopicAuthorizationException(
                Set.of(topics.deadLetters()))))).isEqualTo("the broker refused WRITE on topic"
                        + " 'acme.ingest.commands.dlq' (copying undecodable commands to the dead-letter topic)");
    }

    @Test
    void namesDescribeOnTheCommandsTopicForAClaimEvenWhenTheAdminClientNamesNoTopic() {
        assertThat(access.reason(Step.CLAIM, Errors.TOPIC_AUTHORIZATION_FAILED.exception())).isEqualTo(
                "the broker refused DESCRIBE on topic 'acme.ingest.commands' (reading the commands topic's log range"
                        + " to claim a partition)");
    }

    @Test
    void givesTheFirstLineOfTheRootCauseForAnythingButARefusal() {
        assertThat(access.reason(Step.STORE, new StoreException("Batch failed", new SQLException(
                "ERROR: permission denied for table events\n  Detail: (order-42, 1)", "42501"))))
                .isEqualTo("ERROR: permission denied for table events");
    }
}
