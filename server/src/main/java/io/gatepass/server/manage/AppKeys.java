package io.gatepass.server.manage;

import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.web.Problem;

/**
 * The RFC 7591 {@code jwks} / {@code jwks_uri} of an app, checked against its authentication method: a
 * {@code private_key_jwt} or {@code self_signed_tls_client_auth} app (RFC 8705 §2.2.2: its certificates' keys) has
 * exactly one of them, other apps have neither.
 *
 * @param jwks    the JWK Set as JSON text, or {@code null}
 * @param jwksUri the URL of the app's JWK Set, or {@code null}
 * @param given   whether the change names the keys at all (a change that does not keeps the app's keys)
 */
public record AppKeys(String jwks, String jwksUri, boolean given) {
    /** A change that leaves the app's keys as they are. */
    public static final AppKeys UNCHANGED = new AppKeys(null, null, false);

    public static AppKeys of(String jwks, String jwksUri) {
        return new AppKeys(jwks, jwksUri, true);
    }

    /** The keys in their stored form: the set parsed and written back, the URL's form checked. */
    AppKeys checked(boolean development) {
        if (jwks != null && jwksUri != null) throw Problem.badField("jwks", "give jwks or jwks_uri, not both");
        String stored = null;
        if (jwks != null) {
            try {
                stored = ClientKeys.parsePublicSet(jwks).toString(true);
            } catch (IllegalArgumentException e) {
                throw Problem.badField("jwks", e.getMessage());
            }
        }
        if (jwksUri != null) {
            // its form here; whether its address may be private once the app's allow_private_network is settled
            checkUri(jwksUri, development, true);
        }
        return new AppKeys(stored, jwksUri, given);
    }

    /** 400 when the settled {@code jwks_uri} names an address the app may not fetch from. */
    AppKeys addressCheck(boolean development, boolean allowPrivateNetwork) {
        if (jwksUri != null) checkUri(jwksUri, development, allowPrivateNetwork);
        return this;
    }

    /** The keys an app has after this change; {@code before} is {@code null} for a new app. */
    AppKeys settle(ClientAuthMethod method, Client before) {
        if (!method.usesKeys()) {
            if (jwks != null || jwksUri != null) {
                throw Problem.badField(jwks != null ? "jwks" : "jwks_uri", "is only for private_key_jwt and "
                        + "self_signed_tls_client_auth apps");
            }
            return new AppKeys(null, null, given);
        }
        AppKeys settled = given || before == null ? this : new AppKeys(before.jwks(), before.jwksUri(), false);
        if (settled.jwks() == null && settled.jwksUri() == null) {
            throw Problem.badField("jwks", "a " + method.value() + " app needs its public keys: jwks or jwks_uri");
        }
        return settled;
    }

    private static void checkUri(String uri, boolean development, boolean allowPrivateNetwork) {
        try {
            OutboundFetcher.checkUrl(uri, development, allowPrivateNetwork);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("jwks_uri", e.getMessage());
        }
    }
}
