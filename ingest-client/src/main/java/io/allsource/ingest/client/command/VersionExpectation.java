package io.allsource.ingest.client.command;

import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;

/**
 * What an append expects of its stream's current version before it is applied (DESIGN.md section 1); a mismatch
 * rejects the whole command with {@code CONCURRENCY_CONFLICT}. One of {@link #any()}, {@link #noStream()},
 * {@link #streamExists()} and {@link #exact(long)}. Immutable values, so thread-safe.
 */
public sealed interface VersionExpectation {

    /** No check: the events are appended whatever the stream's version. */
    static VersionExpectation any() {
        return Any.INSTANCE;
    }

    /** The stream must not exist yet (current version 0). */
    static VersionExpectation noStream() {
        return NoStream.INSTANCE;
    }

    /** The stream must hold at least one event. */
    static VersionExpectation streamExists() {
        return StreamExists.INSTANCE;
    }

    /**
     * The stream's current version must be exactly {@code version}; 0 means the stream does not exist.
     *
     * @throws IllegalArgumentException when {@code version} is negative
     */
    static VersionExpectation exact(long version) {
        return new Exact(version);
    }

    /** The contract's record for this expectation. */
    ExpectedVersion toExpectedVersion();

    /** No check. */
    record Any() implements VersionExpectation {
        private static final Any INSTANCE = new Any();

        @Override
        public ExpectedVersion toExpectedVersion() {
            return new ExpectedVersion(ExpectedVersionKind.ANY, 0L);
        }
    }

    /** The stream must not exist. */
    record NoStream() implements VersionExpectation {
        private static final NoStream INSTANCE = new NoStream();

        @Override
        public ExpectedVersion toExpectedVersion() {
            return new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L);
        }
    }

    /** The stream must hold at least one event. */
    record StreamExists() implements VersionExpectation {
        private static final StreamExists INSTANCE = new StreamExists();

        @Override
        public ExpectedVersion toExpectedVersion() {
            return new ExpectedVersion(ExpectedVersionKind.STREAM_EXISTS, 0L);
        }
    }

    /**
     * The stream's current version must equal {@code version}.
     *
     * @param version 0 or more
     */
    record Exact(long version) implements VersionExpectation {
        public Exact {
            if (version < 0) {
                throw new IllegalArgumentException("expected_version EXACT must be 0 or more, got " + version);
            }
        }

        @Override
        public ExpectedVersion toExpectedVersion() {
            return new ExpectedVersion(ExpectedVersionKind.EXACT, version);
        }
    }
}
