package io.allsource.ingest.registry;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.topics.IngestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The schemas of the wire contract under the subjects they belong to for given topic names: {@code AppendCommand}
 * under {@code <commands topic>-value}, {@code CommandResult} under {@code <results topic>-value} and, when events are
 * written in Avro, {@code EventRecord} under {@code <events topic>-value}. Immutable.
 *
 * @param subjects every subject with this build's schema, commands first
 */
public record ContractSubjects(List<SubjectSchema> subjects) {

    /** The subject suffix of record values (Confluent's {@code TopicNameStrategy}). */
    public static final String VALUE_SUFFIX = "-value";

    /**
     * One subject and the schema this build reads or writes under it.
     *
     * @param producedByWorker whether the worker writes records with it (results, events), as opposed to reading them
     */
    public record SubjectSchema(String subject, Schema schema, boolean producedByWorker) {

        public SubjectSchema {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }

        /** The record's simple name, such as {@code CommandResult}. */
        public String recordName() {
            return schema.getName();
        }
    }

    public ContractSubjects {
        subjects = List.copyOf(subjects);
    }

    /**
     * The contract's subjects for {@code topics}.
     *
     * @param avroEvents false when events are written as JSON envelopes, which have no schema in the registry
     */
    public static ContractSubjects of(IngestTopics topics, boolean avroEvents) {
        List<SubjectSchema> subjects = new ArrayList<>();
        subjects.add(new SubjectSchema(topics.commands() + VALUE_SUFFIX, AppendCommand.getClassSchema(), false));
        subjects.add(new SubjectSchema(topics.results() + VALUE_SUFFIX, CommandResult.getClassSchema(), true));
        if (avroEvents) {
            subjects.add(new SubjectSchema(topics.events() + VALUE_SUFFIX, EventRecord.getClassSchema(), true));
        }
        return new ContractSubjects(subjects);
    }

    /** Only the subjects the worker writes under, which it must find registered when it does not register them. */
    public ContractSubjects producedByWorker() {
        return new ContractSubjects(subjects.stream().filter(SubjectSchema::producedByWorker).toList());
    }
}
