package io.allsource.ingest.registry;

import io.allsource.ingest.registry.ContractSubjects.SubjectSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment step for the wire contract's schemas: registers them under their subjects with the subjects'
 * compatibility set to {@value #COMPATIBILITY}, and tells whether a registry holds what this build needs. Thread-safe.
 */
public final class ContractRegistration {

    /**
     * A new version must be readable by readers of the previous one and the other way round: a change that either
     * old or new readers cannot read is refused by the registry.
     */
    public static final String COMPATIBILITY = "FULL";

    private final SchemaRegistryClient registry;

    public ContractRegistration(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * How this build's schema stands under its subject.
     *
     * @param id the schema's id when {@link State#REGISTERED}, else -1
     */
    public record SubjectStatus(SubjectSchema subject, State state, int id) {

        /** Whether this build's schema is registered under the subject. */
        public enum State {
            REGISTERED,
            /** The subject has no version at all. */
            MISSING,
            /** The subject has versions, none of them this build's schema. */
            DIFFERENT
        }

        public boolean isRegistered() {
            return state == State.REGISTERED;
        }

        /** One line, such as {@code ingest.results-value: missing (CommandResult)}. */
        public String describe() {
            return switch (state) {
                case REGISTERED -> subject.subject() + " -> " + id + " (" + subject.recordName() + ")";
                case MISSING -> subject.subject() + ": missing (" + subject.recordName() + " is not registered)";
                case DIFFERENT -> subject.subject() + ": holds other schemas than this build's "
                        + subject.recordName();
            };
        }
    }

    /**
     * Looks every subject's schema up.
     *
     * @throws RegistryException when the registry cannot be asked
     */
    public List<SubjectStatus> check(ContractSubjects subjects) {
        List<SubjectStatus> statuses = new ArrayList<>();
        for (SubjectSchema subject : subjects.subjects()) {
            statuses.add(status(subject));
        }
        return statuses;
    }

    private SubjectStatus status(SubjectSchema subject) {
        try {
            return new SubjectStatus(subject, SubjectStatus.State.REGISTERED,
                    registry.idOf(subject.subject(), subject.schema()));
        } catch (RegistryRequestException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        SubjectStatus.State state = registry.hasSubject(subject.subject())
                ? SubjectStatus.State.DIFFERENT : SubjectStatus.State.MISSING;
        return new SubjectStatus(subject, state, -1);
    }

    /**
     * Registers every subject's schema (a schema already there keeps its id) and sets the subject's compatibility to
     * {@value #COMPATIBILITY}, before registering when the subject exists so that the new version is held to it.
     *
     * @return each subject's schema id, in the order given
     * @throws RegistryRequestException when the registry refuses a schema, such as one incompatible with the
     *                                  subject's versions (409)
     */
    public Map<String, Integer> register(ContractSubjects subjects) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (SubjectSchema subject : subjects.subjects()) {
            boolean existed = registry.hasSubject(subject.subject());
            if (existed) {
                registry.setCompatibility(subject.subject(), COMPATIBILITY);
            }
            ids.put(subject.subject(), registry.register(subject.subject(), subject.schema()));
            if (!existed) {
                registry.setCompatibility(subject.subject(), COMPATIBILITY);
            }
        }
        return ids;
    }
}
