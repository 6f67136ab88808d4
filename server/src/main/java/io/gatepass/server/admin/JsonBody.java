package io.gatepass.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.codec.Json;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.gatepass.server.web.RequestBodies;
import io.helidon.webserver.http.ServerRequest;
import io.gatepass.server.manage.Patch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A management-API JSON object body with typed, bounded field access. Every refusal is a 400 problem that names
 * the field. Unknown fields are refused too, so that a misspelt field never silently does nothing.
 */
final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody read(ServerRequest request, Json json, Set<String> allowedFields) {
        String mediaType = RequestBodies.mediaType(request);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw Problem.of(415, mediaType.isEmpty()
                    ? "Content-Type is missing; send application/json"
                    : "Content-Type " + mediaType + " is not supported; send application/json");
        }
        byte[] body = RequestBodies.read(request);
        JsonNode root;
        try {
            root = json.parse(body);
        } catch (Json.MalformedJson e) {
            throw Problem.badRequest("the JSON body is malformed: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw Problem.badRequest("the JSON body must be an object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowedFields.contains(name)) {
                throw Problem.badField(Text.printable(name), "unknown field; allowed: " + String.join(", ", allowedFields.stream().sorted().toList()));
            }
        }
        return new JsonBody(root);
    }

    /** Like {@link #read}, but an empty body (no bytes, any or no Content-Type) reads as {@code {}}. */
    static JsonBody readOptional(ServerRequest request, Json json, Set<String> allowedFields) {
        boolean empty = request.headers().contentLength().orElse(-1L) == 0
                || (RequestBodies.mediaType(request).isEmpty() && !request.content().hasEntity());
        if (empty) return new JsonBody(json.mapper().createObjectNode());
        return read(request, json, allowedFields);
    }

    /** Whether the body names the field at all, even as {@code null}. */
    boolean present(String field) {
        return root.has(field);
    }

    String requiredString(String field, int maxLength) {
        return optionalString(field, maxLength).orElseThrow(() -> Problem.badField(field, "is required"));
    }

    Optional<String> optionalString(String field, int maxLength) {
        return optionalString(root, field, field, maxLength);
    }

    static Optional<String> optionalString(JsonNode parent, String field, String path, int maxLength) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isTextual()) throw Problem.badField(path, "must be a string");
        String value = node.textValue();
        if (value.isBlank()) throw Problem.badField(path, "must not be empty");
        if (value.length() > maxLength) throw Problem.badField(path, "must be at most " + maxLength + " characters");
        if (Text.hasControlCharacter(value)) throw Problem.badField(path, "must not contain control characters");
        return Optional.of(value);
    }

    /** A whole number; its range is the management service's to check. */
    Optional<Integer> optionalInt(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isIntegralNumber() || !node.canConvertToInt()) throw Problem.badField(field, "must be a whole number");
        return Optional.of(node.intValue());
    }

    /** A field that {@code null} clears: kept when absent, cleared when {@code null}, set otherwise. */
    <T> Patch<T> clearable(String field, Optional<T> value) {
        return present(field) ? Patch.to(value.orElse(null)) : Patch.keep();
    }

    /** The field's strings, or empty when absent. */
    Optional<List<String>> optionalStrings(String field) {
        return optionalArray(field).map(array -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                if (!entry.isTextual()) throw Problem.badField(field + "[" + i + "]", "must be a string");
                values.add(entry.textValue());
            }
            return values;
        });
    }

    Optional<JsonNode> optionalObject(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isObject()) throw Problem.badField(field, "must be a JSON object");
        return Optional.of(node);
    }

    Optional<Boolean> optionalBoolean(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isBoolean()) throw Problem.badField(field, "must be true or false");
        return Optional.of(node.booleanValue());
    }

    /** The field's array, at most {@link HttpLimits#MAX_LIST_SIZE} long, or empty when absent. */
    Optional<JsonNode> optionalArray(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isArray()) throw Problem.badField(field, "must be an array");
        if (node.size() > HttpLimits.MAX_LIST_SIZE) {
            throw Problem.badField(field, "must have at most " + HttpLimits.MAX_LIST_SIZE + " entries");
        }
        return Optional.of(node);
    }
}
