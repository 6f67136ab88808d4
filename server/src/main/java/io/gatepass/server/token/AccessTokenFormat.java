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
     */
    record Claims(String clientId, String subject, Api api, String scope, int lifetimeSeconds, Map<String, Object> actor,
                  Map<String, Object> extra, Instant notAfter) {
        /** A client credentials token: the app about itself. */
        public Claims(String clientId, Api api, String scope, int lifetimeSeconds, Map<String, Object> extra) {
            this(clientId, clientId, api, scope, lifetimeSeconds, null, extra, null);
        }
    }

    MintedToken mint(Claims claims);
}
