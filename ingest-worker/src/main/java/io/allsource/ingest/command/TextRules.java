package io.allsource.ingest.command;

import java.util.Optional;

/** The rules for names and ids of the contract: 1 to n characters of UTF-8, no control characters. */
final class TextRules {

    private static final int SHOWN_CHARS = 60;

    private TextRules() {
    }

    /** Why {@code value} is not a valid name for {@code field}, if it is not. */
    static Optional<String> nameViolation(String field, String value, int maxChars) {
        if (value == null) {
            return Optional.of(field + " is missing");
        }
        if (value.isEmpty()) {
            return Optional.of(field + " is empty");
        }
        int chars = value.codePointCount(0, value.length());
        if (chars > maxChars) {
            return Optional.of(field + " has " + chars + " characters, at most " + maxChars + " are allowed");
        }
        int bad = firstForbidden(value, true);
        if (bad >= 0) {
            return Optional.of(field + " " + quote(value) + " holds a control character or an unpaired surrogate at index "
                    + bad);
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be stored as text, if it cannot: PostgreSQL refuses NUL and unpaired surrogates. */
    static Optional<String> storableViolation(String field, String value) {
        int bad = firstForbidden(value, false);
        return bad < 0 ? Optional.empty()
                : Optional.of(field + " holds a NUL character or an unpaired surrogate at index " + bad);
    }

    /** {@code value} in quotes, shortened for a message. */
    static String quote(String value) {
        String shown = value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** Index of the first character that may not be stored, or -1; with {@code controls}, any control character. */
    static int firstForbidden(String value, boolean controls) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || (controls && Character.isISOControl(c))) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
