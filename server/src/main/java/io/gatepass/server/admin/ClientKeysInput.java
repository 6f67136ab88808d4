package io.gatepass.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.codec.Json;
import io.gatepass.server.web.Problem;
import io.gatepass.server.oauth.ClientKeys;

/**
 * The RFC 7591 {@code jwks} / {@code jwks_uri} of an app, checked against its authentication method: a
 * {@code private_key_jwt} app has exactly one of them, other apps have neither.
 */
record ClientKeysInput(String jwks, String jwksUri, boolean given) {
    static ClientKeysInput read(JsonBody body, Json json, boolean development) {
        JsonNode set = body.optionalObject("jwks").orElse(null);
        String uri = body.optionalString("jwks_uri", ClientKeys.MAX_JWKS_URI_LENGTH).orElse(null);
        if (set != null && uri != null) throw Problem.badField("jwks", "give jwks or jwks_uri, not both");
        String jwks = null;
        if (set != null) {
            try {
                jwks = ClientKeys.parsePublicSet(json.writeString(set)).toString(true);
            } catch (IllegalArgumentException e) {
                throw Problem.badField("jwks", e.getMessage());
            }
        }
        // its form here; whether its address may be private once the app's allow_private_network is settled
        if (uri != null) checkUri(uri, development, true);
        return new ClientKeysInput(jwks, uri, body.present("jwks") || body.present("jwks_uri"));
    }

    private static void checkUri(String uri, boolean development, boolean allowPrivateNetwork) {
        try {
            OutboundFetcher.checkUrl(uri, development, allowPrivateNetwork);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("jwks_uri", e.getMessage());
        }
    }

    /** 400 when the settled {@code jwks_uri} names an address the app may not fetch from. */
    ClientKeysInput addressCheck(boolean development, boolean allowPrivateNetwork) {
        if (jwksUri != null) checkUri(jwksUri, development, allowPrivateNetwork);
        return this;
    }

    /** The keys an app has after this change; {@code before} is {@code null} for a new app. */
    ClientKeysInput settle(ClientAuthMethod method, Client before) {
        if (method != ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (jwks != null || jwksUri != null) {
                throw Problem.badField(jwks != null ? "jwks" : "jwks_uri", "is only for private_key_jwt apps");
            }
            return new ClientKeysInput(null, null, given);
        }
        ClientKeysInput settled = given || before == null ? this : new ClientKeysInput(before.jwks(), before.jwksUri(), false);
        if (settled.jwks() == null && settled.jwksUri() == null) {
            throw Problem.badField("jwks", "a private_key_jwt app needs its public keys: jwks or jwks_uri");
        }
        return settled;
    }
}
