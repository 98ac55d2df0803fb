package io.allsource.ingest.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids: parsing of the canonical UUID text form, and derivation of the id of an event sent without one.
 *
 * <p>A derived id is the name-based UUID version 5 (RFC 9562, SHA-1) with the command id as namespace and the event's
 * index within the command (counted over all appends, from 0, in decimal) as name, so that a retried command derives
 * the same ids. The JDK only offers version 3 ({@link UUID#nameUUIDFromBytes}), hence this small implementation.
 */
public final class EventIds {

    private static final int CANONICAL_LENGTH = 36;

    private EventIds() {
    }

    /**
     * Whether {@code text} is a UUID in the canonical 8-4-4-4-12 hexadecimal form, either case. Checked character by
     * character: it runs up to three times per command on the apply path, where a regular expression showed in
     * profiles.
     */
    public static boolean isCanonicalUuid(String text) {
        if (text == null || text.length() != CANONICAL_LENGTH) {
            return false;
        }
        for (int i = 0; i < CANONICAL_LENGTH; i++) {
            char c = text.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** The id of the event at {@code index} of the command {@code commandId}. */
    public static UUID derive(UUID commandId, int index) {
        MessageDigest sha1 = sha1();
        sha1.update(ByteBuffer.allocate(16)
                .putLong(commandId.getMostSignificantBits())
                .putLong(commandId.getLeastSignificantBits())
                .array());
        sha1.update(Integer.toString(index).getBytes(StandardCharsets.UTF_8));
        ByteBuffer hash = ByteBuffer.wrap(sha1.digest());
        long most = hash.getLong();
        long least = hash.getLong();
        most = (most & ~0xF000L) | 0x5000L;                  // version 5
        least = (least & 0x3FFF_FFFF_FFFF_FFFFL) | Long.MIN_VALUE; // IETF variant
        return new UUID(most, least);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-1", e);
        }
    }
}
