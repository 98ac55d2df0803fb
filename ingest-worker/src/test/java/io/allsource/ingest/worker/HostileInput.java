package io.allsource.ingest.worker;

import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.RejectionReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One entry of the hostile input corpus: records sent to the commands topic, each with the outcome it must get.
 * {@code setup} is sent and answered before any entry's {@code sends}, so that an entry can rely on state in other
 * partitions; after its sends, every entry is followed by a valid command to the same partition, which must be
 * accepted.
 *
 * @param name  what is hostile about it, as the README's table says
 * @param setup records that prepare the entry, answered before the hostile ones are sent
 * @param sends the hostile records, in partition order
 */
record HostileInput(String name, List<Send> setup, List<Send> sends) {

    HostileInput {
        setup = List.copyOf(setup);
        sends = List.copyOf(sends);
    }

    static HostileInput of(String name, Send... sends) {
        return new HostileInput(name, List.of(), List.of(sends));
    }

    static HostileInput after(String name, Send setup, Send... sends) {
        return new HostileInput(name, List.of(setup), List.of(sends));
    }

    /** One record to send and the outcome it must get. */
    record Send(RecordFactory factory, Expected expected) {
    }

    /** Builds a record for an entry placed on {@code partition}; it may send elsewhere (a wrong partition, a setup). */
    @FunctionalInterface
    interface RecordFactory {
        Outgoing build(CorpusContext context, int partition);
    }

    /**
     * A record ready to send.
     *
     * @param commandId the command id its result must carry, or {@code null} when the result must be keyed
     *                  {@code invalid:<partition>:<offset>} (no usable command id)
     */
    record Outgoing(ProducerRecord<byte[], byte[]> record, String commandId) {
    }

    /**
     * The outcome one record must get.
     *
     * @param fragments       text the result's message must contain; none: the message must be absent
     * @param deadLetterError text the dead letter's {@code ingest-error} header must contain; {@code null}: no dead
     *                        letter may be written
     * @param duplicate       whether the result is an earlier delivery's stored result
     */
    record Expected(CommandStatus status, RejectionReason reason, boolean underInvalidKey, boolean duplicate,
            String deadLetterError, List<String> fragments) {

        Expected {
            Objects.requireNonNull(status, "status");
            fragments = List.copyOf(fragments);
        }

        static Expected accepted() {
            return new Expected(CommandStatus.ACCEPTED, null, false, false, null, List.of());
        }

        static Expected rejected(RejectionReason reason, String... fragments) {
            return new Expected(CommandStatus.REJECTED, reason, false, false, null, List.of(fragments));
        }

        static Expected invalid(String... fragments) {
            return rejected(RejectionReason.INVALID_COMMAND, fragments);
        }

        /** Decoded, but without a usable command id: answered under {@code invalid:<partition>:<offset>}. */
        static Expected unreadable(String... fragments) {
            return new Expected(CommandStatus.REJECTED, RejectionReason.INVALID_COMMAND, true, false, null,
                    List.of(fragments));
        }

        /** Not decodable: answered under {@code invalid:<partition>:<offset>} and copied to the dead-letter topic. */
        static Expected deadLettered(String error, String... fragments) {
            List<String> all = new ArrayList<>(List.of(fragments));
            all.add(0, error);
            return new Expected(CommandStatus.REJECTED, RejectionReason.INVALID_COMMAND, true, false, error, all);
        }

        /** An earlier delivery's stored result, flagged duplicate, whose message holds {@code fragments}. */
        Expected asDuplicate(String... fragments) {
            return new Expected(status, reason, underInvalidKey, true, deadLetterError, List.of(fragments));
        }
    }
}
