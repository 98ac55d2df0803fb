package io.allsource.ingest.contract;

/**
 * The contract's form of a command id or event id: a UUID in the canonical 8-4-4-4-12 hexadecimal form, either case.
 * Shared by the worker, which answers any other command id under {@code invalid:<partition>:<offset>}, and the client,
 * which refuses one before sending. Checked character by character: it runs up to three times per command on the
 * worker's apply path, where a regular expression showed in profiles.
 */
public final class CanonicalUuid {

    private static final int LENGTH = 36;

    private CanonicalUuid() {
    }

    /** Whether {@code text} is a UUID in the canonical form; false for null. */
    public static boolean matches(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!valid) {
                return false;
            }
        }
        return true;
    }
}
