package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.IngestGrants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The README's Kafka ACLs ("Kafka: SASL_SSL, SCRAM and ACLs", the {@code kafka-acls.sh} lines) are exactly the grants
 * {@link IngestGrants} gives for the default names, which {@code SecuredPipelineIT} runs the pipeline with: an ACL
 * added to one and not the other fails here.
 */
class ReadmeKafkaGrantsTest {

    private static final String SECTION = "### Kafka: SASL_SSL, SCRAM and ACLs";
    private static final String COMMAND = "$ACLS ";

    @Test
    void theReadmesAclsAreTheGrantsTheSecuredPipelineRunsWith() throws IOException {
        Set<AclBinding> readme = parse(commands(section()));

        assertThat(readme).as("the README's ACLs").isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(IngestGrants.of(IngestGrants.Names.DEFAULTS).bindings());
    }

    @Test
    void aCommandGrantsEachOperationOnEachResourceItNames() {
        Set<AclBinding> parsed = parse(List.of("$ACLS --allow-principal User:u --operation Read --operation Write"
                + " --resource-pattern-type prefixed --topic a. --group g"));

        assertThat(parsed).containsExactlyInAnyOrder(
                binding("User:u", ResourceType.TOPIC, "a.", PatternType.PREFIXED, AclOperation.READ),
                binding("User:u", ResourceType.TOPIC, "a.", PatternType.PREFIXED, AclOperation.WRITE),
                binding("User:u", ResourceType.GROUP, "g", PatternType.PREFIXED, AclOperation.READ),
                binding("User:u", ResourceType.GROUP, "g", PatternType.PREFIXED, AclOperation.WRITE));
    }

    private static String section() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(SECTION);
        assertThat(start).as("the README's section " + SECTION).isPositive();
        int end = readme.indexOf("\n##", start + SECTION.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The {@code $ACLS ...} command lines of {@code text}, each with its continuation lines joined. */
    private static List<String> commands(String text) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\n")) {
            if (current == null && !line.startsWith(COMMAND)) {
                continue;
            }
            current = current == null ? new StringBuilder() : current.append(' ');
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line);
            if (!continued) {
                commands.add(current.toString());
                current = null;
            }
        }
        return commands;
    }

    /** What {@code kafka-acls.sh --add} creates: every operation for every principal on every resource named. */
    private static Set<AclBinding> parse(List<String> commands) {
        Set<AclBinding> bindings = new HashSet<>();
        for (String command : commands) {
            List<String> principals = new ArrayList<>();
            List<AclOperation> operations = new ArrayList<>();
            List<ResourcePattern> resources = new ArrayList<>();
            PatternType pattern = PatternType.LITERAL;
            String[] words = command.substring(COMMAND.length()).trim().split("\\s+");
            for (int i = 0; i < words.length; i += 2) {
                String value = words[i + 1];
                switch (words[i]) {
                    case "--allow-principal" -> principals.add(value);
                    case "--operation" -> operations.add(AclOperation.fromString(value));
                    case "--resource-pattern-type" -> pattern = PatternType.fromString(value.toUpperCase(Locale.ROOT));
                    case "--topic" -> resources.add(new ResourcePattern(ResourceType.TOPIC, value, pattern));
                    case "--group" -> resources.add(new ResourcePattern(ResourceType.GROUP, value, pattern));
                    case "--transactional-id" -> resources.add(new ResourcePattern(ResourceType.TRANSACTIONAL_ID,
                            value, pattern));
                    default -> throw new AssertionError("unknown option " + words[i] + " in: " + command);
                }
            }
            for (ResourcePattern resource : resources) {
                // kafka-acls.sh applies --resource-pattern-type to every resource, wherever it stands
                ResourcePattern typed = new ResourcePattern(resource.resourceType(), resource.name(), pattern);
                principals.forEach(principal -> operations.forEach(operation -> bindings.add(
                        IngestGrants.binding(principal, typed, operation))));
            }
        }
        return bindings;
    }

    private static AclBinding binding(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return IngestGrants.binding(principal, new ResourcePattern(type, name, pattern), operation);
    }
}
