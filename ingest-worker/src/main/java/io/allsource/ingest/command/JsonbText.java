package io.allsource.ingest.command;

import java.math.BigDecimal;

/**
 * The length in UTF-8 bytes of JSON values as PostgreSQL prints a JSONB column (its {@code jsonb_out}): one space after
 * every {@code :} and {@code ,} of a container, strings with only {@code "}, {@code \}, and control characters
 * escaped, and numbers as {@code numeric} prints them, every digit written out: {@code 1e5} is {@code 100000}, and
 * {@code 1e131071} is 131,072 characters long. That printed form is what the worker publishes, so a payload of a
 * hundred bytes can become an event record of megabytes. Duplicate object keys, which JSONB keeps only once, are
 * counted each time, so the length is never underestimated. Thread-safe (stateless).
 */
final class JsonbText {

    private JsonbText() {
    }

    /** Bytes of a string as JSONB prints it, quotes included. */
    static long stringBytes(String value) {
        long escapes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                escapes += 1; // a backslash before the character or its letter
            } else if (c < 0x20) {
                escapes += 5; // "\\u00XX" for one byte
            }
        }
        return 2 + utf8Bytes(value) + escapes;
    }

    /** UTF-8 bytes of {@code text} (0 for null), counted without encoding it. */
    static long utf8Bytes(String text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Bytes of a number as {@code numeric} prints it: the sign unless zero, at least one integer digit, and as many
     * fraction digits as the text's own scale ({@code 1.50} keeps both, an exponent shifts them, never below zero).
     */
    static long numberBytes(BigDecimal number) {
        long sign = number.signum() < 0 ? 1 : 0;
        long precision = number.precision();
        long scale = number.scale();
        if (number.signum() == 0) {
            return 1 + (scale > 0 ? 1 + scale : 0);
        }
        if (scale <= 0) {
            return sign + precision - scale;
        }
        return sign + Math.max(1, precision - scale) + 1 + scale;
    }
}
