package io.allsource.ingest.client.command;

/** The builders' argument checks; each failure names the field in the contract's words. Stateless. */
final class Arguments {

    private Arguments() {
    }

    /** {@code value}, which must be neither null nor empty. */
    static String requireText(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be null or empty");
        }
        return value;
    }

    /** {@code value}, which must not be null. */
    static <T> T requirePresent(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}
