package io.gatepass.server.token;

import io.gatepass.server.domain.Api;

/**
 * How an access token is written down. A grant decides what a token says (who, for which API, which scopes, how
 * long); a format encodes it: a signed JWT today (RFC 9068), other encodings later, without touching a grant.
 */
public interface AccessTokenFormat {
    /** What a grant decided a token says. */
    record Claims(String clientId, Api api, String scope, int lifetimeSeconds) {
    }

    MintedToken mint(Claims claims);
}
