package io.gatepass.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.keys.KeyRing;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Mints JWT access tokens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2">RFC 9068 §2</a>
 */
public final class AccessTokenMinter {
    /** RFC 9068 §2.1: "typ" MUST be "at+jwt". */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final String issuer;
    private final KeyRing keys;
    private final RevocationList revocations;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

    public AccessTokenMinter(String issuer, KeyRing keys, RevocationList revocations, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
    }

    /**
     * @param scope the granted scopes, space separated, or "" for none (then the claim is left out)
     * @param alg   the API's signing algorithm
     */
    public MintedToken mint(String clientId, String audience, String scope, int lifetimeSeconds, String alg) {
        KeyRing.ActiveKey key = keys.current(alg)
                .orElseThrow(() -> new IllegalStateException("no signing key for " + alg + " (the API's signing_alg)"));
        Instant now = issueTime(clientId);
        Date issuedAt = Date.from(now);
        String jti = newJti();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(clientId) // RFC 9068 §2.2: for client credentials, sub is the client
                .audience(audience)
                .claim("client_id", clientId)
                .issueTime(issuedAt)
                .notBeforeTime(issuedAt)
                .expirationTime(Date.from(now.plusSeconds(lifetimeSeconds)))
                .jwtID(jti);
        if (!scope.isEmpty()) claims.claim("scope", scope);
        JWSHeader header = new JWSHeader.Builder(key.alg()).type(AT_JWT).keyID(key.kid()).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with kid " + key.kid() + " failed", e);
        }
        return new MintedToken(jwt.serialize(), jti, lifetimeSeconds, now.plusSeconds(lifetimeSeconds));
    }

    /**
     * Now, unless the app's tokens were voided earlier in this very second: {@code iat} has whole seconds, so a
     * token issued now would fall under that cutoff. It then carries the next second, at most one second ahead,
     * well inside any verifier's clock skew.
     */
    private Instant issueTime(String clientId) {
        Instant now = clock.instant();
        long cutoff = revocations.issuedBefore(clientId);
        return cutoff > now.getEpochSecond() ? Instant.ofEpochSecond(cutoff) : now;
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return base64.encodeToString(bytes);
    }
}
