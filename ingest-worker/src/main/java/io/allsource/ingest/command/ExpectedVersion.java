package io.allsource.ingest.command;

/**
 * What an append expects of its stream's current version, checked before anything is written. A mismatch rejects the
 * whole command with {@link RejectionReason#CONCURRENCY_CONFLICT}.
 */
public sealed interface ExpectedVersion {

    /** The contract's name of this kind: {@code ANY}, {@code NO_STREAM}, {@code STREAM_EXISTS} or {@code EXACT}. */
    Kind kind();

    /** Whether a stream whose current version is {@code currentVersion} (0: no stream) meets this expectation. */
    boolean admits(long currentVersion);

    /** The kinds of the wire contract. */
    enum Kind { ANY, NO_STREAM, STREAM_EXISTS, EXACT }

    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    static ExpectedVersion streamExists() {
        return StreamExists.INSTANCE;
    }

    static ExpectedVersion exact(long version) {
        return new Exact(version);
    }

    /** No check. */
    enum Any implements ExpectedVersion {
        INSTANCE;

        @Override
        public Kind kind() {
            return Kind.ANY;
        }

        @Override
        public boolean admits(long currentVersion) {
            return true;
        }

        @Override
        public String toString() {
            return "ANY";
        }
    }

    /** The stream must not exist yet. */
    enum NoStream implements ExpectedVersion {
        INSTANCE;

        @Override
        public Kind kind() {
            return Kind.NO_STREAM;
        }

        @Override
        public boolean admits(long currentVersion) {
            return currentVersion == 0;
        }

        @Override
        public String toString() {
            return "NO_STREAM";
        }
    }

    /** The stream must hold at least one event. */
    enum StreamExists implements ExpectedVersion {
        INSTANCE;

        @Override
        public Kind kind() {
            return Kind.STREAM_EXISTS;
        }

        @Override
        public boolean admits(long currentVersion) {
            return currentVersion > 0;
        }

        @Override
        public String toString() {
            return "STREAM_EXISTS";
        }
    }

    /** The stream must be exactly at {@code version} (0 meaning: does not exist). */
    record Exact(long version) implements ExpectedVersion {

        @Override
        public Kind kind() {
            return Kind.EXACT;
        }

        @Override
        public boolean admits(long currentVersion) {
            return currentVersion == version;
        }

        @Override
        public String toString() {
            return "EXACT " + version;
        }
    }
}
