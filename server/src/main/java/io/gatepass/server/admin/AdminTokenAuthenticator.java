package io.gatepass.server.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.domain.Api;
import io.gatepass.server.http.Problem;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.token.AccessTokenMinter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * Checks the bearer token of a management call: one of our own RFC 9068 access tokens for the audience
 * {@code urn:gatepass:admin}, issued to an app that still exists and is not blocked.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 */
public final class AdminTokenAuthenticator {
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final long CLOCK_SKEW_SECONDS = 5;

    private final String issuer;
    private final KeyRing keys;
    private final RegistryCache registry;
    private final Clock clock;

    public AdminTokenAuthenticator(String issuer, KeyRing keys, RegistryCache registry, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.registry = registry;
        this.clock = clock;
    }

    /** The caller, once its token is checked and carries {@code scope}; 401 or 403 problems otherwise. */
    public AdminCaller require(ServerRequest request, String scope) {
        return authenticate(request).require(scope);
    }

    public AdminCaller authenticate(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElseThrow(Problem::tokenMissing);
        // RFC 6750 §2.1: the scheme is case-insensitive
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.unauthorized("the Authorization header must use the Bearer scheme");
        }
        String token = header.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw Problem.unauthorized("the access token is malformed");
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw Problem.unauthorized("the access token is malformed");
        }
        checkSignature(jwt);
        String clientId = checkClaims(claims);
        Set<String> scopes = scopes(claims);
        return new AdminCaller(clientId, scopes);
    }

    private void checkSignature(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        // RFC 9068 §4: reject tokens whose typ is not at+jwt; the algorithm must be the one our key uses
        if (!AccessTokenMinter.AT_JWT.equals(header.getType())) {
            throw Problem.unauthorized("the access token is not an at+jwt access token");
        }
        JWSVerifier verifier = keys.verifier(header.getKeyID(), header.getAlgorithm())
                .orElseThrow(() -> Problem.unauthorized("the access token was not signed by this server"));
        try {
            if (!jwt.verify(verifier)) throw Problem.unauthorized("the access token signature is invalid");
        } catch (JOSEException e) {
            throw Problem.unauthorized("the access token signature is invalid");
        }
    }

    private String checkClaims(JWTClaimsSet claims) {
        if (!issuer.equals(claims.getIssuer())) throw Problem.unauthorized("the access token has another issuer");
        if (claims.getAudience() == null || !claims.getAudience().contains(Api.ADMIN_IDENTIFIER)) {
            throw Problem.unauthorized("the access token is not for the management API (aud " + Api.ADMIN_IDENTIFIER + ")");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now.minusSeconds(CLOCK_SKEW_SECONDS))) {
            throw Problem.unauthorized("the access token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw Problem.unauthorized("the access token is not valid yet");
        }
        Object clientIdClaim = claims.getClaim("client_id");
        if (!(clientIdClaim instanceof String clientId)) throw Problem.unauthorized("the access token has no client_id");
        boolean active = registry.client(clientId).map(entry -> entry.client().isActive()).orElse(false);
        if (!active) throw Problem.unauthorized("the app this token was issued to is blocked or deleted");
        return clientId;
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (!(scope instanceof String value) || value.isEmpty()) return Set.of();
        return new java.util.HashSet<>(java.util.Arrays.asList(value.split(" ")));
    }
}
