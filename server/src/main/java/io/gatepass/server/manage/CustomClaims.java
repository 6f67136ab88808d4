package io.gatepass.server.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.codec.Json;
import io.gatepass.server.codec.Text;
import io.gatepass.server.web.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Extra claims an admin adds to an app's or a grant's tokens ({@code {"tenant_id": "acme"}}). They may not take a
 * name the token itself uses — JWT's registered claims (RFC 7519 §4.1), RFC 9068 §2.2's, and those this server
 * gives meaning to ({@code client_id scope cnf act may_act}) — and they stay small: every token carries them.
 */
final class CustomClaims {
    static final int MAX_CLAIMS = 20;
    static final int MAX_BYTES = 2048;
    static final int MAX_DEPTH = 3;
    static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope",
            "cnf", "act", "may_act", "auth_time", "acr", "amr", "azp", "groups", "roles", "entitlements", "typ", "nonce",
            "at_hash", "token_type");
    private static final Json JSON = new Json();

    private CustomClaims() {
    }

    /**
     * The claims in their stored form (compact JSON), {@code null} for none.
     *
     * @param json a JSON object as text, or {@code null}
     */
    static String checked(String field, String json) {
        if (json == null) return null;
        JsonNode claims;
        try {
            claims = JSON.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJson e) {
            throw Problem.badField(field, "must be a JSON object: " + e.getMessage());
        }
        if (claims == null || !claims.isObject()) throw Problem.badField(field, "must be a JSON object of claims");
        if (claims.isEmpty()) return null;
        if (claims.size() > MAX_CLAIMS) throw Problem.badField(field, "has more than " + MAX_CLAIMS + " claims");
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> claim = it.next();
            String name = claim.getKey();
            if (name.isEmpty() || name.length() > 255 || Text.hasControlCharacter(name)) {
                throw Problem.badField(field, "claim names must be 1 to 255 characters without control characters");
            }
            if (RESERVED.contains(name)) {
                throw Problem.badField(field + "." + name, "is a claim the token itself sets; choose another name");
            }
            if (depth(claim.getValue()) > MAX_DEPTH) {
                throw Problem.badField(field + "." + name, "is nested deeper than " + MAX_DEPTH + " levels");
            }
            if (claim.getValue().isNull()) throw Problem.badField(field + "." + name, "must not be null");
        }
        String stored = JSON.writeString(claims);
        if (stored.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw Problem.badField(field, "is larger than " + MAX_BYTES + " bytes as JSON");
        }
        return stored;
    }

    /** A scalar is depth 0; {@code {"a": 1}} as a claim's value is 1. */
    private static int depth(JsonNode node) {
        if (!node.isContainerNode()) return 0;
        int deepest = 0;
        for (JsonNode child : node) deepest = Math.max(deepest, depth(child));
        return deepest + 1;
    }
}
