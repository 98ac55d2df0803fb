package io.allsource.ingest.cli;

/** A failure the user can fix, reported as one line without a stack trace. */
final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
