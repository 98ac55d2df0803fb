package io.allsource.ingest.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Checks that a payload is one JSON value that PostgreSQL's JSONB accepts, without building a tree: a single value with
 * nothing after it, no NUL character and no unpaired surrogate in any string or name (JSONB refuses both), and every
 * number within the range of PostgreSQL's {@code numeric}; and measures, in the same pass, how long it will be once
 * PostgreSQL prints it ({@link JsonbText}). Thread-safe.
 */
final class JsonPayloads {

    private static final int NUMERIC_MAX_INTEGER_DIGITS = 131_072;
    private static final int NUMERIC_MAX_FRACTION_DIGITS = 16_383;
    /** Deep enough for any real document; PostgreSQL itself refuses deeper ones only at its stack depth limit. */
    static final int MAX_NESTING_DEPTH = 1_000;

    /** Numbers and names as long as a payload may be, so that the numeric range check below decides on numbers. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private JsonPayloads() {
    }

    /**
     * What checking a payload found.
     *
     * @param violation    why it cannot be stored as JSONB, starting with the field's name; empty when it can
     * @param printedBytes its length in UTF-8 bytes as PostgreSQL will print it (meaningful only when it can be stored)
     */
    record Checked(Optional<String> violation, long printedBytes) {

        static Checked violating(String message) {
            return new Checked(Optional.of(message), 0);
        }
    }

    /** Why {@code json} cannot be stored as JSONB, if it cannot; the message starts with {@code field}. */
    static Optional<String> violation(String field, String json) {
        return check(field, json).violation();
    }

    /** Checks {@code json} and measures its printed form. */
    static Checked check(String field, String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                return Checked.violating(field + " is not valid JSON: it holds no value");
            }
            long[] printed = new long[1];
            Optional<String> problem = checkValue(field, parser, printed);
            if (problem.isPresent()) {
                return new Checked(problem, 0);
            }
            if (parser.nextToken() != null) {
                return Checked.violating(field + " is not valid JSON: more than one value, the second at character "
                        + parser.currentTokenLocation().getCharOffset());
            }
            return new Checked(Optional.empty(), printed[0]);
        } catch (NumberFormatException | ArithmeticException e) {
            // Jackson cannot even hold the number (an exponent beyond an int, such as 1e2147483648)
            return Checked.violating(field + " holds a number outside the range JSONB can store: "
                    + e.getClass().getSimpleName());
        } catch (StreamConstraintsException e) {
            return Checked.violating(field + " nests deeper than " + MAX_NESTING_DEPTH + " levels, the most this"
                    + " pipeline accepts");
        } catch (JsonProcessingException e) {
            return Checked.violating(field + " is not valid JSON: " + e.getOriginalMessage() + " at character "
                    + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset()));
        } catch (IOException e) {
            return Checked.violating(field + " could not be read as JSON: " + e.getMessage());
        }
    }

    /**
     * Walks the value that starts at the parser's current token, up to and including its last token, adding its
     * printed length to {@code printed[0]}.
     */
    private static Optional<String> checkValue(String field, JsonParser parser, long[] printed) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        boolean first = true;
        while (true) {
            Optional<String> problem = checkToken(field, parser, token);
            if (problem.isPresent()) {
                return problem;
            }
            printed[0] += printedBytes(parser, token, first);
            first = token.isStructStart() || token == JsonToken.FIELD_NAME;
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return Optional.empty();
            }
            token = parser.nextToken();
            if (token == null) {
                return Optional.of(field + " is not valid JSON: it ends inside a value");
            }
        }
    }

    /**
     * The printed length of one token: {@code ", "} before a member or element that is not the first of its
     * container, {@code ": "} after a name.
     */
    private static long printedBytes(JsonParser parser, JsonToken token, boolean first) throws IOException {
        long separator = first || token.isStructEnd() ? 0 : 2;
        return separator + switch (token) {
            case START_OBJECT, START_ARRAY, END_OBJECT, END_ARRAY -> 1;
            case FIELD_NAME -> JsonbText.stringBytes(parser.getText()) + 2;
            case VALUE_STRING -> JsonbText.stringBytes(parser.getText());
            case VALUE_NUMBER_INT -> "-0".equals(parser.getText()) ? 1 : parser.getTextLength();
            case VALUE_NUMBER_FLOAT -> JsonbText.numberBytes(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_NULL -> 4;
            case VALUE_FALSE -> 5;
            default -> 0;
        };
    }

    private static Optional<String> checkToken(String field, JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case FIELD_NAME, VALUE_STRING -> {
                String text = parser.getText();
                if (TextRules.firstForbidden(text, false) >= 0) {
                    return Optional.of(field + " holds a NUL character or an unpaired surrogate in a string at character "
                            + parser.currentTokenLocation().getCharOffset() + ", which JSONB cannot store");
                }
            }
            case VALUE_NUMBER_INT -> {
                String digits = parser.getText();
                int count = digits.startsWith("-") ? digits.length() - 1 : digits.length();
                if (count > NUMERIC_MAX_INTEGER_DIGITS) {
                    return Optional.of(field + " holds an integer of " + count + " digits at character "
                            + parser.currentTokenLocation().getCharOffset() + ", outside the range JSONB can store");
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                BigDecimal number = parser.getDecimalValue();
                if (number.precision() - number.scale() > NUMERIC_MAX_INTEGER_DIGITS
                        || number.scale() > NUMERIC_MAX_FRACTION_DIGITS) {
                    return Optional.of(field + " holds the number " + TextRules.quote(parser.getText())
                            + " at character " + parser.currentTokenLocation().getCharOffset()
                            + ", outside the range JSONB can store");
                }
            }
            default -> {
                // other tokens are always storable
            }
        }
        return Optional.empty();
    }
}
