package io.allsource.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DelegationTokenAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The one line for a refusal names the operation (from the access), the resource (from the exception, else from the
 * access) and the purpose, for every authorization exception Kafka's clients throw, with and without resource names.
 */
class KafkaAccessTest {

    private static final KafkaAccess WORKER = KafkaAccess.of("running the worker")
            .needs(AclOperation.READ, ResourceType.TOPIC, "acme.ingest.commands", "consuming commands")
            .needs(AclOperation.READ, ResourceType.GROUP, "acme-workers", "consuming commands in the worker's group")
            .needs(AclOperation.WRITE, ResourceType.TOPIC, "acme.ingest.results", "publishing results")
            .needs(AclOperation.WRITE, ResourceType.TOPIC, "acme.ingest.events", "publishing events")
            .needs(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "acme-views-*", "committing transactions")
            .needs(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, null, "producing idempotently");

    @Test
    void namesTheOperationOfTheStepAndTheTopicTheExceptionNames() {
        TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("acme.ingest.results"));

        assertThat(WORKER.refusal(refused)).hasValue(
                "the broker refused WRITE on topic 'acme.ingest.results' (publishing results)");
    }

    @Test
    void namesTheTopicsOfTheStepWhenTheExceptionNamesNone() {
        KafkaAccess describing = KafkaAccess.of("checking the topics at start").needs(AclOperation.DESCRIBE,
                ResourceType.TOPIC, "acme.ingest.commands", "checking the topics at start");

        assertThat(describing.refusal(Errors.TOPIC_AUTHORIZATION_FAILED.exception())).hasValue(
                "the broker refused DESCRIBE on topic 'acme.ingest.commands' (checking the topics at start)");
        assertThat(describing.refusal(new TopicAuthorizationException("Topic authorization failed.", Set.of())))
                .hasValue("the broker refused DESCRIBE on topic 'acme.ingest.commands' (checking the topics at"
                        + " start)");
    }

    @Test
    void namesEveryTopicOfTheStepWithTheirPurposesWhenTheExceptionNamesNone() {
        assertThat(KafkaAccess.of("publishing")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, "acme.ingest.results", "publishing results")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, "acme.ingest.events", "publishing events")
                .refusal(new TopicAuthorizationException("Topic authorization failed.")))
                .hasValue("the broker refused WRITE on topics 'acme.ingest.results', 'acme.ingest.events'"
                        + " (publishing results; publishing events)");
    }

    @Test
    void namesTheGroupTheExceptionNamesWithTheReadOfTheStep() {
        assertThat(WORKER.refusal(GroupAuthorizationException.forGroupId("acme-workers"))).hasValue(
                "the broker refused READ on group 'acme-workers' (consuming commands in the worker's group)");
    }

    @Test
    void namesTheGroupOfTheStepWhenTheExceptionNamesNone() {
        assertThat(WORKER.refusal(new GroupAuthorizationException("Group authorization failed."))).hasValue(
                "the broker refused READ on group 'acme-workers' (consuming commands in the worker's group)");
        assertThat(WORKER.refusal(new GroupAuthorizationException("Not authorized to access group: acme-workers")))
                .as("Kafka's standard text for that group, without the group as a field").hasValue(
                        "the broker refused READ on group 'acme-workers' (consuming commands in the worker's group)");
    }

    @Test
    void namesTheTransactionalIdsOfTheStepForATransactionalIdRefusal() {
        assertThat(WORKER.refusal(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.exception())).hasValue(
                "the broker refused WRITE on transactional id 'acme-views-*' (committing transactions)");
    }

    @Test
    void namesTheClusterForAClusterRefusal() {
        assertThat(WORKER.refusal(new ClusterAuthorizationException("Cluster authorization failed."))).hasValue(
                "the broker refused IDEMPOTENT_WRITE on the cluster (producing idempotently)");
    }

    @Test
    void saysAccessWhenTheStepListsNothingOfThatKind() {
        KafkaAccess consuming = KafkaAccess.of("consuming commands")
                .needs(AclOperation.READ, ResourceType.TOPIC, "acme.ingest.commands", "consuming commands");

        assertThat(consuming.refusal(new TopicAuthorizationException(Set.of("somebody.elses"))))
                .hasValue("the broker refused access to topic 'somebody.elses' (consuming commands)");
        assertThat(consuming.refusal(new DelegationTokenAuthorizationException("Delegation Token authorization"
                + " failed."))).hasValue("the broker refused access to delegation tokens (consuming commands)");
        assertThat(consuming.refusal(new ClusterAuthorizationException("Cluster authorization failed.")))
                .hasValue("the broker refused access to the cluster (consuming commands)");
    }

    @Test
    void keepsKafkasOwnTextWhenItSaysMoreThanTheResource() {
        assertThat(WORKER.refusal(new ClusterAuthorizationException("Request Request(processor=1) is not"
                + " authorized.\nSecond line"))).hasValue("the broker refused IDEMPOTENT_WRITE on the cluster"
                + " (producing idempotently): Request Request(processor=1) is not authorized. Second line");
        assertThat(WORKER.refusal(new AuthorizationException("Principal User:bob is denied"))).hasValue(
                "the broker refused access (running the worker): Principal User:bob is denied");
    }

    @Test
    void matchesAResourceNameByItsPrefixWhenTheStepGivesOne() {
        KafkaAccess views = KafkaAccess.of("running the live views").needs(AclOperation.READ, ResourceType.TOPIC,
                "acme-views-*", "reading the views' internal topics");

        assertThat(views.refusal(new TopicAuthorizationException(Set.of("acme-views-stream-versions-changelog"))))
                .hasValue("the broker refused READ on topic 'acme-views-stream-versions-changelog' (reading the"
                        + " views' internal topics)");
    }

    @Test
    void findsTheRefusalAnywhereInTheCauseChain() {
        Exception wrapped = new ExecutionException(new KafkaException("Publishing failed",
                new TopicAuthorizationException(Set.of("acme.ingest.events"))));

        assertThat(KafkaAccess.isRefusal(wrapped)).isTrue();
        assertThat(WORKER.refusal(wrapped)).hasValue(
                "the broker refused WRITE on topic 'acme.ingest.events' (publishing events)");
    }

    @Test
    void findsNoRefusalInOtherFailures() {
        assertThat(KafkaAccess.isRefusal(new RecordTooLargeException("too large"))).isFalse();
        assertThat(KafkaAccess.isRefusal(new SaslAuthenticationException("bad password"))).isFalse();
        assertThat(WORKER.refusal(new RecordTooLargeException("too large"))).isEmpty();
        assertThat(WORKER.describe(new KafkaException("outer", new IllegalStateException("inner\nDetail: row"))))
                .isEqualTo("inner");
        assertThat(WORKER.describe(new KafkaException("outer", new IllegalStateException())))
                .isEqualTo("IllegalStateException");
    }

    @Test
    void isOneLineWhateverTheBrokerSaid() {
        assertThat(WORKER.refusal(new TopicAuthorizationException("denied\r\n  by policy\n",
                Set.of("acme.ingest.results")))).hasValueSatisfying(line -> assertThat(line)
                        .doesNotContain("\n", "\r")
                        .isEqualTo("the broker refused WRITE on topic 'acme.ingest.results' (publishing results):"
                                + " denied by policy"));
    }

    @Test
    void survivesACauseChainThatLoops() {
        KafkaException outer = new KafkaException("outer");
        KafkaException inner = new KafkaException("inner", outer);
        outer.initCause(inner);

        assertThat(WORKER.refusal(outer)).isEmpty();
        assertThat(WORKER.describe(outer)).isNotBlank();
    }
}
