package io.gatepass.server.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The one JSON codec: strict on input (duplicate keys, trailing data, depth), plain on output. */
public final class Json {
    private static final int MAX_DEPTH = 16;
    /** No request body is longer (HttpLimits.MAX_BODY_BYTES), so no string in one can be. */
    private static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NUMBER_LENGTH = 32;
    private final ObjectMapper mapper;

    public Json() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** What is wrong with a JSON body, in words for the caller: never the parser's own text or class names. */
    public static final class MalformedJson extends Exception {
        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses a request body as UTF-8 (RFC 8259 §8.1: JSON between systems MUST be UTF-8), never by guessing the
     * encoding from its first bytes, which made a few odd bytes a UCS-4 stream Jackson then refused with an I/O
     * error (found by fuzzing).
     */
    public JsonNode parse(byte[] body) throws MalformedJson {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJson("the body is not UTF-8 text");
        }
        try {
            return mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new MalformedJson(limitExceeded(e.getOriginalMessage()));
        } catch (MismatchedInputException e) {
            // the one mismatch a tree can have: more after the value (FAIL_ON_TRAILING_TOKENS)
            throw new MalformedJson("there is more after the JSON value" + at(e));
        } catch (JsonEOFException e) {
            throw new MalformedJson("the JSON ends before its value is complete");
        } catch (JsonProcessingException e) {
            String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (original.startsWith("Duplicate field")) throw new MalformedJson("a field appears twice" + at(e));
            throw new MalformedJson("the body is not valid JSON" + at(e));
        }
    }

    private static String limitExceeded(String original) {
        String message = original == null ? "" : original;
        if (message.contains("nesting depth")) return "the JSON is nested deeper than " + MAX_DEPTH + " levels";
        if (message.contains("Number value length")) return "a JSON number is longer than " + MAX_NUMBER_LENGTH + " characters";
        if (message.contains("String value length")) return "a JSON string is longer than " + MAX_STRING_LENGTH + " characters";
        return "the JSON exceeds this server's limits";
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) return "";
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    public String writeString(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }
}
