package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import java.util.Objects;

/** One record of a partition's commands topic, in offset order, as handed to the store. */
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
}
