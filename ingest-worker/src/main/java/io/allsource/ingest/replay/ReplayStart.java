package io.allsource.ingest.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Where a partition's replay starts: at a partition sequence ({@code --from-sequence N}), or at the first event of the
 * partition recorded at or after an instant ({@code --since TIME}); from that event on every event follows, in
 * sequence order. {@link #describe()} is how {@code replay_progress.start_from} keeps it.
 */
public sealed interface ReplayStart {

    /** The first sequence of the partition: the default. */
    ReplayStart BEGINNING = new FromSequence(1);

    /** The text stored with the progress, compared on a rerun: {@code sequence 1}, {@code since 2024-05-01T00:00:00Z}. */
    String describe();

    /** From partition sequence {@code sequence} (1 or more) on. */
    record FromSequence(long sequence) implements ReplayStart {
        public FromSequence {
            if (sequence < 1) {
                throw new ReplayException("--from-sequence is " + sequence + "; partition sequences start at 1");
            }
        }

        @Override
        public String describe() {
            return "sequence " + sequence;
        }
    }

    /** From the partition's first event recorded at or after {@code instant} on. */
    record Since(Instant instant) implements ReplayStart {
        @Override
        public String describe() {
            return "since " + instant;
        }
    }

    /**
     * Reads {@code --since}: an ISO-8601 instant ({@code 2024-05-01T10:00:00Z}), a date-time with an offset
     * ({@code 2024-05-01T12:00:00+02:00}) or a date ({@code 2024-05-01}, midnight UTC).
     *
     * @throws ReplayException naming the flag when the text is none of them
     */
    static Since since(String text) {
        String trimmed = text.trim();
        try {
            if (trimmed.length() == 10) {
                return new Since(LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return new Since(OffsetDateTime.parse(trimmed).toInstant());
        } catch (DateTimeParseException e) {
            throw new ReplayException("--since '" + text + "' is not a time: give an ISO-8601 instant such as"
                    + " 2024-05-01T10:00:00Z, a date-time with an offset, or a date such as 2024-05-01");
        }
    }
}
