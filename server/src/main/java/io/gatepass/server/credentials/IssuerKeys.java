package io.gatepass.server.credentials;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The public keys of a trusted issuer, held to the rules an app's keys are held to. A SPIFFE trust bundle marks
 * its JWT-SVID keys {@code "use": "jwt-svid"} and may leave out {@code alg}: those keys are taken as signing keys.
 */
public final class IssuerKeys {
    public static final int MAX_KEYS = 50;

    private IssuerKeys() {
    }

    /** A registered set, refused as a whole when it is not a set of usable keys. */
    public static JWKSet parse(String json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("is not a JWK Set: " + e.getMessage());
        }
        JWKSet normalized = new JWKSet(normalized(set));
        if (normalized.getKeys().isEmpty()) throw new IllegalArgumentException("must hold a signing key");
        return ClientKeys.parsePublicSet(normalized.toString(true), MAX_KEYS);
    }

    /** The usable keys of a fetched set, at most {@link #MAX_KEYS}; the others are left out (and logged). */
    public static List<JWK> usable(JWKSet set, String owner) {
        return ClientKeys.usable(new JWKSet(normalized(set)), MAX_KEYS, owner);
    }

    private static List<JWK> normalized(JWKSet set) {
        List<JWK> keys = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            Object use = key.toJSONObject().get("use");
            if ("jwt-svid".equals(use)) {
                Map<String, Object> json = key.toJSONObject();
                json.remove("use");
                try {
                    keys.add(JWK.parse(json));
                } catch (ParseException e) {
                    // not a key after all: left out
                }
            } else if (!"x509-svid".equals(use)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
