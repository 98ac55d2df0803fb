package io.allsource.ingest.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A 64-bit fingerprint (the first eight bytes of SHA-256) of a sequence of fields, each length-prefixed so that no two
 * different sequences feed the same bytes. The audit keeps these instead of records, so that millions of events fit in
 * a few megabytes. Not thread-safe; one per use.
 */
final class Digest {

    private static final byte NULL = 0;
    private static final byte PRESENT = 1;

    private final MessageDigest sha;
    private final ByteBuffer number = ByteBuffer.allocate(Long.BYTES);

    Digest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The fingerprint of one text, such as a command id. */
    static long ofText(String text) {
        return new Digest().text(text).finish();
    }

    Digest text(CharSequence text) {
        if (text == null) {
            sha.update(NULL);
            return this;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        sha.update(PRESENT);
        number(bytes.length);
        sha.update(bytes);
        return this;
    }

    Digest number(Long value) {
        if (value == null) {
            sha.update(NULL);
            return this;
        }
        sha.update(PRESENT);
        number.clear();
        number.putLong(value);
        sha.update(number.array());
        return this;
    }

    Digest number(long value) {
        return number(Long.valueOf(value));
    }

    /** The entries in key order, so that maps with equal contents digest alike. */
    Digest map(Map<? extends CharSequence, ? extends CharSequence> map) {
        TreeMap<String, String> sorted = new TreeMap<>();
        map.forEach((key, value) -> sorted.put(key.toString(), value == null ? null : value.toString()));
        number(sorted.size());
        sorted.forEach((key, value) -> text(key).text(value));
        return this;
    }

    long finish() {
        return ByteBuffer.wrap(sha.digest()).getLong();
    }
}
