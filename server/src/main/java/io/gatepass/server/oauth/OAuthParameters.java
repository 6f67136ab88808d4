package io.gatepass.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.web.FormFields;
import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.codec.Json;
import io.gatepass.server.web.RequestBodies;
import io.gatepass.server.codec.Text;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a request to an OAuth endpoint (token, introspection, revocation), from an
 * {@code application/x-www-form-urlencoded} body (RFC 6749 §4.4.2, RFC 7662 §2.1, RFC 7009 §2.1)
 * or, for Auth0-style clients, a JSON object of strings. Unknown parameters are kept and ignored.
 */
public final class OAuthParameters {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";

    private final Map<String, List<String>> values;

    private OAuthParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    static OAuthParameters read(ServerRequest request, Json json) {
        String mediaType = RequestBodies.mediaType(request);
        if (!mediaType.equals(FORM) && !mediaType.equals(JSON)) {
            throw OAuthError.invalidRequest(mediaType.isEmpty()
                    ? "Content-Type is missing; send application/x-www-form-urlencoded"
                    : "Content-Type " + mediaType + " is not supported; send application/x-www-form-urlencoded");
        }
        return parse(mediaType, RequestBodies.read(request), json);
    }

    /** The parameters of a body of this media type (form or JSON). */
    static OAuthParameters parse(String mediaType, byte[] body, Json json) {
        return new OAuthParameters(mediaType.equals(JSON) ? parseJson(body, json) : parseForm(body));
    }

    private static Map<String, List<String>> parseForm(byte[] body) {
        try {
            return FormFields.parse(body, false);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest(e.getMessage());
        }
    }

    private static Map<String, List<String>> parseJson(byte[] body, Json json) {
        JsonNode root;
        try {
            root = json.parse(body);
        } catch (Json.MalformedJson e) {
            throw OAuthError.invalidRequest("the JSON body is malformed: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw OAuthError.invalidRequest("the JSON body must be an object");
        if (root.size() > HttpLimits.MAX_PARAMETERS) {
            throw OAuthError.invalidRequest("too many parameters (at most " + HttpLimits.MAX_PARAMETERS + ")");
        }
        Map<String, List<String>> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) continue; // like a parameter sent without a value (RFC 6749 §3.1)
            if (!value.isTextual()) {
                throw OAuthError.invalidRequest("parameter " + Text.printable(field.getKey()) + " must be a string");
            }
            add(values, field.getKey(), value.textValue());
        }
        return values;
    }

    private static void add(Map<String, List<String>> values, String name, String value) {
        try {
            FormFields.add(values, name, value, false);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest(e.getMessage());
        }
    }


    /**
     * RFC 7523 §2.1, the JWT bearer grant ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} with
     * {@code assertion}), read as the client credentials grant with that JWT as the client's assertion: here the
     * JWT proves the app, and the token is the app's.
     */
    OAuthParameters asClientAssertion() {
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>(values);
        List<String> assertion = copy.remove("assertion");
        if (copy.containsKey("client_assertion")) {
            throw OAuthError.invalidRequest("send the JWT as assertion or as client_assertion, not both");
        }
        if (assertion != null) copy.put("client_assertion", assertion);
        copy.put("client_assertion_type", List.of(PrivateKeyJwtAuthenticator.JWT_BEARER));
        copy.put("grant_type", List.of("client_credentials"));
        return new OAuthParameters(copy);
    }

    /**
     * The parameter's one value. RFC 6749 §3.1: a parameter sent without a value is treated as omitted, and a
     * parameter must not be included more than once.
     */
    public Optional<String> single(String name) {
        List<String> list = values.get(name);
        if (list == null) return Optional.empty();
        if (list.size() > 1) throw OAuthError.invalidRequest("parameter " + name + " is repeated");
        String value = list.get(0);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Every non-empty value of a parameter that may repeat (RFC 8707 {@code resource}). */
    public List<String> all(String name) {
        List<String> list = values.get(name);
        if (list == null) return List.of();
        return list.stream().filter(v -> !v.isEmpty()).toList();
    }
}
