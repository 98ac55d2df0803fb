package io.allsource.ingest.failure;

import io.allsource.ingest.contract.RootCause;

/**
 * Failures as one line of text, for logs, one-line stop reasons and rejection messages: PostgreSQL's messages go on
 * with Detail, Hint and Position lines, and a Detail line may quote row data.
 */
public final class FailureMessages {

    private FailureMessages() {
    }

    /** The first line of {@code text} ("no message" for null). */
    public static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The first line of the innermost cause's message, or its type when it has none. */
    public static String rootMessage(Throwable failure) {
        return RootCause.message(failure);
    }
}
