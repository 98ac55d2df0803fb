package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.ReplyRoute;
import java.util.Objects;

/** One record of a partition's commands topic, in offset order, as the check step receives it. */
public sealed interface BatchEntry {

    /** The record's offset in its partition. */
    long offset();

    ReplyRoute route();

    /** A record whose value decoded into a command (which may still break the contract's rules). */
    record Decoded(long offset, AppendCommand command, ReplyRoute route) implements BatchEntry {
        public Decoded {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(route, "route");
        }
    }

    /** A record whose value could not be decoded at all; {@code error} says why. */
    record Undecodable(long offset, String error, ReplyRoute route) implements BatchEntry {
        public Undecodable {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * A decoded record that a later step refused for good although it passed the checks: the database rejected its
     * data, or it failed identically past the bound while other partitions progressed. It is answered
     * {@code INVALID_COMMAND} with {@code reason} (unless its command id already has a result), so that its
     * neighbours commit and its partition moves on.
     */
    record Refused(Decoded decoded, String reason) implements BatchEntry {
        public Refused {
            Objects.requireNonNull(decoded, "decoded");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public long offset() {
            return decoded.offset();
        }

        @Override
        public ReplyRoute route() {
            return decoded.route();
        }
    }
}
