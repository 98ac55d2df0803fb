package io.allsource.ingest.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The W3C Trace Context of a command (Trace Context Level 1): its {@code traceparent} header, and its
 * {@code tracestate} header when that is valid too. The worker copies both unchanged onto the command's result and
 * events; the client and {@code ingest append} send them. Shared by the worker and the client, so that both read the
 * headers by one rule.
 *
 * <p>{@code traceparent} is {@code <version>-<trace id>-<parent id>-<flags>}: 2, 32, 16 and 2 lower-case hexadecimal
 * digits; version {@code ff}, an all-zero trace id and an all-zero parent id are invalid. Version {@code 00} is exactly
 * 55 characters; a later version may carry more after a {@code -} at index 55 (kept as sent, up to
 * {@value #MAX_TRACEPARENT_CHARS} characters). {@code tracestate} is a comma-separated list of at most
 * {@value #MAX_TRACESTATE_MEMBERS} {@code key=value} members with distinct keys (empty members, and spaces or tabs
 * around members, allowed). A list longer than {@value #MAX_TRACESTATE_CHARS} characters is cut as the specification
 * says: members over 128 characters are removed first, then members from the end, until it fits.
 *
 * <p>Parsing never throws for the header's sake: {@link #parse} answers empty for a malformed {@code traceparent}, and
 * drops a malformed {@code tracestate} while keeping the {@code traceparent}. A {@code tracestate} without a valid
 * {@code traceparent} is dropped with it, as the specification says. Immutable.
 *
 * @param traceparent the {@code traceparent} header as sent; never null
 * @param tracestate  the {@code tracestate} list as kept, at most {@value #MAX_TRACESTATE_CHARS} characters, or
 *                    {@code null} when the command had none, or a malformed one
 */
public record TraceContext(String traceparent, String tracestate) {

    /** The longest {@code tracestate} kept, in characters. */
    public static final int MAX_TRACESTATE_CHARS = 512;
    /** The most members of a {@code tracestate} list. */
    public static final int MAX_TRACESTATE_MEMBERS = 32;
    /** The longest {@code traceparent} of a later version kept, in characters (version 00 is exactly 55). */
    public static final int MAX_TRACEPARENT_CHARS = 512;

    private static final int VERSION_00_LENGTH = 55;
    private static final int LONG_MEMBER_CHARS = 128;

    /**
     * @throws IllegalArgumentException when {@code traceparent} is not a valid {@code traceparent}, or
     *                                  {@code tracestate} not a valid list of at most 512 characters
     */
    public TraceContext {
        traceparentViolation(traceparent).ifPresent(violation -> {
            throw new IllegalArgumentException(violation);
        });
        if (tracestate != null && !tracestate.equals(keptTracestate(tracestate))) {
            throw new IllegalArgumentException("tracestate '" + shorten(tracestate) + "' is not a valid list of at"
                    + " most " + MAX_TRACESTATE_CHARS + " characters");
        }
    }

    /**
     * The trace context of the two header values: empty when {@code traceparent} is absent or malformed; otherwise
     * with {@code tracestate} as kept (cut to {@value #MAX_TRACESTATE_CHARS} characters), or none when it is absent,
     * empty or malformed.
     */
    public static Optional<TraceContext> parse(String traceparent, String tracestate) {
        if (traceparentViolation(traceparent).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceparent, tracestate == null ? null : keptTracestate(tracestate)));
    }

    /**
     * As {@link #parse(String, String)}, from the headers' bytes (either may be null); bytes outside printable ASCII
     * make a header malformed.
     */
    public static Optional<TraceContext> parse(byte[] traceparent, byte[] tracestate) {
        if (traceparent == null) {
            return Optional.empty();
        }
        return parse(ascii(traceparent), tracestate == null ? null : ascii(tracestate));
    }

    /** Why {@code traceparent} is not a valid {@code traceparent} header, or empty when it is one. */
    public static Optional<String> traceparentViolation(String traceparent) {
        if (traceparent == null) {
            return Optional.of("traceparent is missing");
        }
        String problem = problemOf(traceparent);
        return problem == null ? Optional.empty()
                : Optional.of("traceparent '" + shorten(traceparent) + "' is not a W3C traceparent: " + problem);
    }

    /** The trace id: 32 lower-case hexadecimal digits, not all zero. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The caller's span id (the W3C parent id): 16 lower-case hexadecimal digits, not all zero. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }

    /** The trace flags: 2 lower-case hexadecimal digits. */
    public String flags() {
        return traceparent.substring(53, 55);
    }

    /** Whether the caller sampled its trace (bit 0 of the flags). */
    public boolean sampled() {
        return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }

    private static String problemOf(String value) {
        if (value.length() < VERSION_00_LENGTH) {
            return "it has " + value.length() + " characters, at least " + VERSION_00_LENGTH + " are needed";
        }
        if (value.length() > MAX_TRACEPARENT_CHARS) {
            return "it has " + value.length() + " characters, at most " + MAX_TRACEPARENT_CHARS + " are kept";
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return "its fields are not separated by '-' at indexes 2, 35 and 52";
        }
        String version = value.substring(0, 2);
        String field = !isLowerHex(version) ? "the version" : !isLowerHex(value.substring(3, 35)) ? "the trace id"
                : !isLowerHex(value.substring(36, 52)) ? "the parent id"
                : !isLowerHex(value.substring(53, 55)) ? "the flags" : null;
        if (field != null) {
            return field + " is not lower-case hexadecimal";
        }
        if (version.equals("ff")) {
            return "version ff is invalid";
        }
        if (isZero(value.substring(3, 35))) {
            return "the trace id is all zeros";
        }
        if (isZero(value.substring(36, 52))) {
            return "the parent id is all zeros";
        }
        if (version.equals("00") && value.length() != VERSION_00_LENGTH) {
            return "version 00 has exactly " + VERSION_00_LENGTH + " characters, this one " + value.length();
        }
        if (value.length() > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-') {
            return "a later version's fields after the flags must follow a '-'";
        }
        return null;
    }

    /**
     * The list as kept: {@code value} itself when it is valid and fits; cut to fit when it is valid and too long;
     * null when it is empty or malformed.
     */
    private static String keptTracestate(String value) {
        List<String> members = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String part : value.split(",", -1)) {
            String member = part.strip();
            if (member.isEmpty()) {
                continue;
            }
            if (!isOws(part) || !isMember(member) || !keys.add(member.substring(0, member.indexOf('=')))) {
                return null;
            }
            members.add(member);
        }
        if (members.isEmpty() || members.size() > MAX_TRACESTATE_MEMBERS) {
            return null;
        }
        if (value.length() <= MAX_TRACESTATE_CHARS) {
            return value;
        }
        if (String.join(",", members).length() > MAX_TRACESTATE_CHARS) {
            members.removeIf(member -> member.length() > LONG_MEMBER_CHARS);
        }
        while (String.join(",", members).length() > MAX_TRACESTATE_CHARS) {
            members.remove(members.size() - 1);
        }
        return members.isEmpty() ? null : String.join(",", members);
    }

    /** Whether what surrounds the member in {@code part} is only spaces and tabs (the specification's OWS). */
    private static boolean isOws(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= ' ' && c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** {@code key=value}: a simple or multi-tenant key, and a value of 1 to 256 printable characters. */
    private static boolean isMember(String member) {
        int equals = member.indexOf('=');
        return equals > 0 && isKey(member.substring(0, equals)) && isValue(member.substring(equals + 1));
    }

    private static boolean isKey(String key) {
        int at = key.indexOf('@');
        if (at < 0) {
            return key.length() <= 256 && isLowerAlpha(key.charAt(0)) && allKeyChars(key, 1);
        }
        String tenant = key.substring(0, at);
        String system = key.substring(at + 1);
        return !tenant.isEmpty() && tenant.length() <= 241 && (isLowerAlpha(tenant.charAt(0))
                || isDigit(tenant.charAt(0))) && allKeyChars(tenant, 1)
                && !system.isEmpty() && system.length() <= 14 && isLowerAlpha(system.charAt(0))
                && allKeyChars(system, 1);
    }

    private static boolean allKeyChars(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isLowerAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValue(String value) {
        if (value.isEmpty() || value.length() > 256 || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isDigit(c) || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The bytes as characters one for one, so that any byte outside ASCII fails the checks. */
    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
