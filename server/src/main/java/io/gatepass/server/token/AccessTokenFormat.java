package io.gatepass.server.token;

import io.gatepass.server.domain.Api;
import java.time.Instant;
import java.util.Map;

/**
 * How an access token is written down. A grant decides what a token says (who, for which API, which scopes, how
 * long); a format encodes it: a signed JWT today (RFC 9068), other encodings later, without touching a grant.
 */
public interface AccessTokenFormat {
    /**
     * What a grant decided a token says.
     *
     * @param subject  whom the token is about: the app itself, or for an exchanged token the original app (RFC 8693)
     * @param actor    RFC 8693 §4.1 {@code act}: the chain of apps acting for the subject, or {@code null}
     * @param extra    custom claims of the app and grant; never a name the token sets itself
     * @param notAfter the latest expiry allowed (an exchanged token never outlives its subject token), or {@code null}
     * @param binding  the key the token is bound to (RFC 9449 §6, RFC 8705 §3), or {@link Binding#NONE}
     */
    record Claims(String clientId, String subject, Api api, String scope, int lifetimeSeconds, Map<String, Object> actor,
                  Map<String, Object> extra, Instant notAfter, Binding binding) {
        /** A client credentials token: the app about itself. */
        public Claims(String clientId, Api api, String scope, int lifetimeSeconds, Map<String, Object> extra, Binding binding) {
            this(clientId, clientId, api, scope, lifetimeSeconds, null, extra, null, binding);
        }
    }

    /**
     * What a sender-constrained token is bound to: the RFC 7638 thumbprint of a DPoP key ({@code cnf.jkt}, RFC 9449
     * §6.1) and/or the SHA-256 thumbprint of a client certificate ({@code cnf.x5t#S256}, RFC 8705 §3.1).
     */
    record Binding(String jkt, String x5tS256) {
        public static final Binding NONE = new Binding(null, null);

        public boolean bound() {
            return jkt != null || x5tS256 != null;
        }

        /** RFC 7800 {@code cnf}, or {@code null} for a bearer token. */
        public Map<String, Object> confirmation() {
            if (!bound()) return null;
            Map<String, Object> cnf = new java.util.LinkedHashMap<>();
            if (jkt != null) cnf.put("jkt", jkt);
            if (x5tS256 != null) cnf.put("x5t#S256", x5tS256);
            return cnf;
        }

        /** RFC 9449 §5: a DPoP-bound token is of type DPoP; a certificate-bound one stays Bearer (RFC 8705 §3). */
        public String tokenType() {
            return jkt != null ? "DPoP" : "Bearer";
        }
    }

    MintedToken mint(Claims claims);
}
