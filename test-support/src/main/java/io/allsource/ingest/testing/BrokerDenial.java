package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The broker refusing one operation on one resource to every client: two ACLs for {@code User:*} on the resource's
 * literal name, ALLOW {@code ALL} and DENY the operation, on a {@link KafkaBroker} started with Kafka's
 * {@code StandardAuthorizer} and {@code allow.everyone.if.no.acl.found=true} (see {@link #AUTHORIZER_CONFIG}). The
 * ALLOW is needed: once a resource has any ACL, the standard authorizer refuses whatever no ACL allows, so a DENY alone
 * would refuse DESCRIBE too (the metadata every client and the worker's start-up checks ask for), while a DENY matches
 * only its own operation (or ALL). Closing removes both ACLs. Used by one thread.
 */
public final class BrokerDenial implements AutoCloseable {

    /** Broker properties for {@link KafkaBroker#start(Map)}: everything allowed until an ACL says no. */
    public static final Map<String, String> AUTHORIZER_CONFIG = Map.of(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found", "true");

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EVERYONE = "User:*";

    private final KafkaBroker broker;
    private final ResourcePattern resource;
    private final List<AclBinding> bindings;

    private BrokerDenial(KafkaBroker broker, ResourcePattern resource, List<AclBinding> bindings) {
        this.broker = broker;
        this.resource = resource;
        this.bindings = bindings;
    }

    /**
     * Denies {@code operation} on the resource and returns once the broker enforces it (its authorizer lists both
     * ACLs).
     *
     * @throws IllegalStateException when the broker refuses the ACLs or does not list them within 30 s
     */
    public static BrokerDenial of(KafkaBroker broker, ResourceType type, String name, AclOperation operation) {
        ResourcePattern resource = new ResourcePattern(type, name, PatternType.LITERAL);
        List<AclBinding> bindings = List.of(
                new AclBinding(resource, new AccessControlEntry(EVERYONE, "*", AclOperation.ALL,
                        AclPermissionType.ALLOW)),
                new AclBinding(resource, new AccessControlEntry(EVERYONE, "*", operation, AclPermissionType.DENY)));
        BrokerDenial denial = new BrokerDenial(broker, resource, bindings);
        try {
            broker.admin().createAcls(bindings).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            denial.awaitListed(bindings.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while denying " + operation + " on " + resource, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not deny " + operation + " on " + resource, e);
        }
        return denial;
    }

    /** Removes the two ACLs and returns once the broker no longer lists any for the resource. */
    @Override
    public void close() {
        try {
            broker.admin().deleteAcls(bindings.stream().map(AclBinding::toFilter).toList()).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitListed(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while removing the ACLs of " + resource, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not remove the ACLs of " + resource, e);
        }
    }

    /**
     * Waits until the broker lists {@code count} ACLs for the resource: it answers from its own authorizer's copy of
     * the cluster metadata, the copy that decides its clients' requests.
     */
    private void awaitListed(int count) throws InterruptedException, ExecutionException, TimeoutException {
        AclBindingFilter filter = new AclBindingFilter(new ResourcePatternFilter(resource.resourceType(),
                resource.name(), PatternType.LITERAL), AccessControlEntryFilter.ANY);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Collection<AclBinding> listed = broker.admin().describeAcls(filter).values()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (listed.size() == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The broker lists " + listed + " for " + resource + ", not " + count
                        + " ACLs, after " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(50); // the broker applies the controller's metadata with no event we can see
        }
    }
}
