package io.allsource.ingest.command;

import io.allsource.ingest.contract.CanonicalUuid;
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

    private EventIds() {
    }

    /** Whether {@code text} is a UUID in the canonical 8-4-4-4-12 hexadecimal form, either case. */
    public static boolean isCanonicalUuid(String text) {
        return CanonicalUuid.matches(text);
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
