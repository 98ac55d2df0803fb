package io.allsource.ingest.kafka;

import io.allsource.ingest.contract.RootCause;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DelegationTokenAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What one step of a component asks of the Kafka brokers, as ACL operations on resources, so that a refusal of any of
 * them is told in one line that names the operation and the resource:
 * {@code the broker refused WRITE on topic 'ingest.results' (publishing results)}.
 *
 * <p>Kafka's authorization exceptions name the resource only ({@code Not authorized to access topics: [x]}), and some
 * not even that ({@code Topic authorization failed.} from the Admin client). The resource comes from the exception
 * ({@link TopicAuthorizationException#unauthorizedTopics()}, {@link GroupAuthorizationException#groupId()}), else
 * from the resources of that type this access lists; the operation and the purpose come from the access. Kafka's own
 * text is kept after a colon when it says more than the resource (a broker's own message); the standard texts are
 * left out. A resource name ending in {@code *} stands for a prefix. The line never holds a line break, and nothing
 * but the broker's answer and the names given here (no property of the client, so no secret).
 *
 * <p>Shared by the worker, the client and the views. Immutable, so thread-safe.
 */
public final class KafkaAccess {

    private static final int MAX_CAUSES = 32;

    /**
     * One operation on one resource, and what the step does with it.
     *
     * @param name the resource's name ({@code null} for the cluster); a trailing {@code *} makes it a prefix
     */
    private record Need(AclOperation operation, ResourceType type, String name, String purpose) {

        boolean covers(String resource) {
            return name != null && (name.endsWith("*") ? resource.startsWith(name.substring(0, name.length() - 1))
                    : name.equals(resource));
        }
    }

    private final String purpose;
    private final List<Need> needs;

    private KafkaAccess(String purpose, List<Need> needs) {
        this.purpose = purpose;
        this.needs = List.copyOf(needs);
    }

    /**
     * An access that lists nothing yet.
     *
     * @param purpose what the step does, such as {@code running the live views}: said of a refused resource the
     *                access does not list
     */
    public static KafkaAccess of(String purpose) {
        return new KafkaAccess(Objects.requireNonNull(purpose, "purpose"), List.of());
    }

    /**
     * This access, also needing {@code operation} on the resource.
     *
     * @param name    the resource's name, a prefix when it ends in {@code *}; ignored for {@link ResourceType#CLUSTER}
     * @param purpose what the step does with it, such as {@code publishing results}
     */
    public KafkaAccess needs(AclOperation operation, ResourceType type, String name, String purpose) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(purpose, "purpose");
        if (type != ResourceType.CLUSTER) {
            Objects.requireNonNull(name, "name");
        }
        List<Need> more = new ArrayList<>(needs);
        more.add(new Need(operation, type, type == ResourceType.CLUSTER ? null : name, purpose));
        return new KafkaAccess(this.purpose, more);
    }

    /** Whether {@code failure} or one of its causes is the broker refusing an operation (an authorization error). */
    public static boolean isRefusal(Throwable failure) {
        return authorizationFailure(failure).isPresent();
    }

    /**
     * The one line for the first authorization error in {@code failure}'s cause chain, or empty when there is none.
     */
    public Optional<String> refusal(Throwable failure) {
        return authorizationFailure(failure).map(this::describe);
    }

    /**
     * The one line for the authorization error in {@code failure}'s cause chain, else the first line of the innermost
     * cause's message (its type when it has none).
     */
    public String describe(Throwable failure) {
        return refusal(failure).orElseGet(() -> RootCause.message(failure));
    }

    private String describe(AuthorizationException refused) {
        ResourceType type = typeOf(refused);
        Set<String> named = namesOf(refused);
        List<Need> matching = needs.stream().filter(need -> need.type() == type)
                .filter(need -> named.isEmpty() || named.stream().anyMatch(need::covers)).toList();
        if (type == ResourceType.UNKNOWN) {
            return "the broker refused access (" + purpose + ")" + kafkaText(refused, named);
        }
        if (matching.isEmpty()) {
            return "the broker refused access to " + resource(type, named) + " (" + purpose + ")"
                    + kafkaText(refused, named);
        }
        Set<String> names = named.isEmpty() ? matching.stream().map(Need::name).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new)) : named;
        return "the broker refused " + distinct(matching, need -> need.operation().name(), " or ") + " on "
                + resource(type, names) + " (" + distinct(matching, Need::purpose, "; ") + ")"
                + kafkaText(refused, names);
    }

    private static String distinct(List<Need> matching, java.util.function.Function<Need, String> part,
            String separator) {
        return matching.stream().map(part).distinct().collect(Collectors.joining(separator));
    }

    private static ResourceType typeOf(AuthorizationException refused) {
        if (refused instanceof TopicAuthorizationException) {
            return ResourceType.TOPIC;
        }
        if (refused instanceof GroupAuthorizationException) {
            return ResourceType.GROUP;
        }
        if (refused instanceof TransactionalIdAuthorizationException) {
            return ResourceType.TRANSACTIONAL_ID;
        }
        if (refused instanceof ClusterAuthorizationException) {
            return ResourceType.CLUSTER;
        }
        if (refused instanceof DelegationTokenAuthorizationException) {
            return ResourceType.DELEGATION_TOKEN;
        }
        return ResourceType.UNKNOWN;
    }

    /** The resources the exception names, in order; empty when it names none. */
    private static Set<String> namesOf(AuthorizationException refused) {
        if (refused instanceof TopicAuthorizationException topics && topics.unauthorizedTopics() != null) {
            return new TreeSet<>(topics.unauthorizedTopics());
        }
        if (refused instanceof GroupAuthorizationException group && group.groupId() != null) {
            return Set.of(group.groupId());
        }
        return Set.of();
    }

    private static String resource(ResourceType type, Set<String> names) {
        String quoted = names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
        return switch (type) {
            case CLUSTER -> "the cluster";
            case TOPIC -> names.isEmpty() ? "a topic" : (names.size() == 1 ? "topic " : "topics ") + quoted;
            case GROUP -> names.isEmpty() ? "a group" : (names.size() == 1 ? "group " : "groups ") + quoted;
            case TRANSACTIONAL_ID -> names.isEmpty() ? "a transactional id"
                    : (names.size() == 1 ? "transactional id " : "transactional ids ") + quoted;
            case DELEGATION_TOKEN -> "delegation tokens";
            default -> "a resource";
        };
    }

    /**
     * Kafka's message after a colon, or nothing when it is one of Kafka's standard texts for this refusal of
     * {@code names} (the resources the line names).
     */
    private static String kafkaText(AuthorizationException refused, Set<String> names) {
        String message = refused.getMessage();
        if (message == null || message.isBlank() || message.equals(Errors.forException(refused).message())) {
            return "";
        }
        if (refused instanceof TopicAuthorizationException && !names.isEmpty()
                && message.equals(new TopicAuthorizationException(new TreeSet<>(names)).getMessage())) {
            return "";
        }
        if (refused instanceof GroupAuthorizationException && names.size() == 1
                && message.equals(GroupAuthorizationException.forGroupId(names.iterator().next()).getMessage())) {
            return "";
        }
        return ": " + oneLine(message);
    }

    private static Optional<AuthorizationException> authorizationFailure(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES && seen.put(t, true) == null;
                t = t.getCause(), depth++) {
            if (t instanceof AuthorizationException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /** {@code text} with its line breaks (and the spaces around them) as single spaces. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public String toString() {
        return "KafkaAccess[" + purpose + ": " + needs + "]";
    }
}
