package io.allsource.ingest.views;

import io.allsource.ingest.views.ViewsSettings.TopicCreation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The topics the views need at start: the events topic must exist; the alerts topic exists or is created. */
final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    private static final long TIMEOUT_SECONDS = 30;

    private TopicCheck() {
    }

    /** The partition count of the events topic, after making sure the alerts topic exists. */
    static int ensure(Admin admin, ViewsSettings settings) {
        ViewsTopics topics = settings.topics();
        int eventPartitions = partitions(admin, topics.events()).orElseThrow(() -> new ViewsException(
                "The events topic " + topics.events() + " does not exist: start the worker first (it creates it with"
                        + " create-topics), or set " + ViewsOption.TOPIC_EVENTS.key()));
        if (partitions(admin, topics.alerts()).isPresent()) {
            return eventPartitions;
        }
        if (settings.alertsTopicCreation() == TopicCreation.REQUIRE_EXISTING) {
            throw new ViewsException("The alerts topic " + topics.alerts() + " does not exist: create it, or start"
                    + " with " + ViewsOption.CREATE_TOPICS.key() + "=true");
        }
        create(admin, new NewTopic(topics.alerts(), Optional.of(1),
                settings.topicReplicationFactor() == -1 ? Optional.empty()
                        : Optional.of(settings.topicReplicationFactor())));
        return eventPartitions;
    }

    private static Optional<Integer> partitions(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            return Optional.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new ViewsException("Cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ViewsException("Kafka did not describe topic " + topic + " within " + TIMEOUT_SECONDS
                    + " s: check " + ViewsOption.BOOTSTRAP_SERVERS.key(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewsException("Interrupted while describing topic " + topic, e);
        }
    }

    private static void create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created topic {}", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ViewsException("Cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new ViewsException("Kafka did not create topic " + topic.name() + " within " + TIMEOUT_SECONDS
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewsException("Interrupted while creating topic " + topic.name(), e);
        }
    }
}
