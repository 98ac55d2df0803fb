package io.allsource.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Topics are checked for their partition count and created only when asked, and only when nothing else is wrong. */
class TopicCheckTest {

    private static final ConfigKey COMMANDS = new ConfigKey("topic-commands", "ingest.commands", false, "Commands",
            ConfigChecks.topicName());
    private static final ConfigKey ALERTS = new ConfigKey("topic-alerts", "ingest.alerts", false, "Alerts",
            ConfigChecks.topicName());

    private final Node broker = new Node(0, "localhost", 9092);
    private final MockAdminClient admin = new MockAdminClient(List.of(broker), broker);

    @AfterEach
    void close() {
        admin.close();
    }

    private void existing(String topic, int partitions) {
        admin.addTopic(false, topic, IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartitionInfo(p, broker, List.of(broker), List.of(broker))).toList(), Map.of());
    }

    private Set<String> topics() throws Exception {
        return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    }

    @Test
    void acceptsPipelineTopicsWithThirtyTwoPartitionsAndReportsTheCounts() {
        existing("ingest.commands", 32);
        existing("ingest.alerts", 3);

        Map<String, Integer> partitions = TopicCheck.ensure(admin, List.of(TopicRequirement.pipeline(
                "ingest.commands", COMMANDS), TopicRequirement.own("ingest.alerts", ALERTS, 1)),
                TopicCreation.REQUIRE_EXISTING, -1);

        assertThat(partitions).containsExactly(Map.entry("ingest.commands", 32), Map.entry("ingest.alerts", 3));
    }

    @Test
    void createsMissingTopicsWithTheirPartitionCountsWhenAsked() throws Exception {
        Map<String, Integer> partitions = TopicCheck.ensure(admin, List.of(TopicRequirement.pipeline(
                "ingest.commands", COMMANDS), TopicRequirement.own("ingest.alerts", ALERTS, 1)),
                TopicCreation.CREATE_MISSING, -1);

        assertThat(partitions).containsExactly(Map.entry("ingest.commands", 32), Map.entry("ingest.alerts", 1));
        assertThat(topics()).containsExactlyInAnyOrder("ingest.commands", "ingest.alerts");
        assertThat(admin.describeTopics(Set.of("ingest.commands")).allTopicNames().get().get("ingest.commands")
                .partitions()).hasSize(32);
    }

    @Test
    void refusesAMissingTopicUnlessAskedToCreateItSayingHow() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> TopicCheck.ensure(admin,
                List.of(TopicRequirement.pipeline("ingest.commands", COMMANDS)), TopicCreation.REQUIRE_EXISTING, -1));

        assertThat(failure).hasMessageStartingWith("Topics not ready:");
        assertThat(failure.problems()).singleElement().asString()
                .startsWith("topic ingest.commands does not exist; create it with 32 partitions")
                .contains("create-topics=true", "--create-topics");
    }

    @Test
    void refusesAnotherPartitionCountAndThenCreatesNothing() throws Exception {
        existing("ingest.commands", 12);

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> TopicCheck.ensure(admin,
                List.of(TopicRequirement.pipeline("ingest.commands", COMMANDS),
                        TopicRequirement.pipeline("ingest.results", COMMANDS)), TopicCreation.CREATE_MISSING, -1));

        assertThat(failure.problems()).singleElement().asString()
                .isEqualTo("topic ingest.commands has 12 partitions; the pipeline needs exactly 32 (stream placement"
                        + " depends on it)");
        assertThat(topics()).containsExactly("ingest.commands");
    }

    @Test
    void neverCreatesATopicAnotherComponentCreatesAndNamesItsSetting() throws Exception {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> TopicCheck.ensure(admin,
                List.of(TopicRequirement.existing("ingest.events", CommonKeys.TOPIC_EVENTS)),
                TopicCreation.CREATE_MISSING, -1));

        assertThat(failure.problems()).singleElement().asString().startsWith("topic ingest.events does not exist")
                .contains("--topic-events / INGEST_TOPIC_EVENTS / topic-events");
        assertThat(topics()).isEmpty();
    }

    @Test
    void refusesToStartInOneLineNamingDescribeOnTheTopicTheBrokerWillNotDescribe() {
        for (ApiException refusal : List.of(Errors.TOPIC_AUTHORIZATION_FAILED.exception(),
                new TopicAuthorizationException(Set.of("ingest.commands")))) {
            try (MockAdminClient refusing = new RefusingAdmin(broker, refusal)) {
                ConfigException failure = catchThrowableOfType(ConfigException.class, () -> TopicCheck.ensure(
                        refusing, List.of(TopicRequirement.pipeline("ingest.commands", COMMANDS)),
                        TopicCreation.CREATE_MISSING, -1));

                assertThat(failure).hasMessage("the broker refused DESCRIBE on topic 'ingest.commands' (checking the"
                        + " topics at start)").hasCause(refusal);
            }
        }
    }

    @Test
    void refusesToStartInOneLineNamingCreateOnTheTopicsTheBrokerWillNotCreate() {
        try (MockAdminClient refusing = new RefusingAdmin(broker, null)) {
            ConfigException failure = catchThrowableOfType(ConfigException.class, () -> TopicCheck.ensure(refusing,
                    List.of(TopicRequirement.pipeline("ingest.commands", COMMANDS),
                            TopicRequirement.own("ingest.alerts", ALERTS, 1)), TopicCreation.CREATE_MISSING, -1));

            assertThat(failure).hasMessage("the broker refused CREATE on topics 'ingest.commands', 'ingest.alerts'"
                    + " (creating the missing topics at start)");
        }
    }

    @Test
    void acceptsATopicAnotherComponentCreatedWithAnyCount() {
        existing("ingest.events", 4);

        assertThat(TopicCheck.ensure(admin, List.of(TopicRequirement.existing("ingest.events",
                CommonKeys.TOPIC_EVENTS)), TopicCreation.REQUIRE_EXISTING, -1)).containsEntry("ingest.events", 4);
    }

    /**
     * An admin client whose broker refuses to describe topics ({@code describing}: the refusal; null: every topic is
     * missing) and to create any, as Kafka's Admin client reports it: an error without topic names.
     */
    private static final class RefusingAdmin extends MockAdminClient {

        private final ApiException describing;

        RefusingAdmin(Node broker, ApiException describing) {
            super(List.of(broker), broker);
            this.describing = describing;
        }

        @Override
        public synchronized DescribeTopicsResult describeTopics(TopicCollection topics,
                DescribeTopicsOptions options) {
            if (describing == null) {
                return super.describeTopics(topics, options);
            }
            KafkaFutureImpl<TopicDescription> refused = new KafkaFutureImpl<>();
            refused.completeExceptionally(describing);
            Map<String, KafkaFuture<TopicDescription>> byName = new java.util.HashMap<>();
            ((TopicCollection.TopicNameCollection) topics).topicNames().forEach(name -> byName.put(name, refused));
            return new DescribeTopicsResult(null, byName) {
            };
        }

        @Override
        public synchronized CreateTopicsResult createTopics(Collection<NewTopic> topics,
                CreateTopicsOptions options) {
            Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> byName = new java.util.HashMap<>();
            for (NewTopic topic : topics) {
                KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> refused = new KafkaFutureImpl<>();
                refused.completeExceptionally(Errors.TOPIC_AUTHORIZATION_FAILED.exception());
                byName.put(topic.name(), refused);
            }
            return new CreateTopicsResult(byName) {
            };
        }
    }
}
