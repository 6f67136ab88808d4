package io.gatepass.server.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.gatepass.jose.AccessTokenCheck;
import java.util.Set;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.store.RegistryCache;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * Decides whether one of our own access tokens is active now: signed by one of our keys with that key's
 * algorithm, ours ({@code iss}), within its lifetime, not revoked, and issued to an app that exists and is not
 * blocked. Used by introspection, revocation and the management API's bearer check.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.2">RFC 7662 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 */
public final class AccessTokenValidator {
    public static final int MAX_TOKEN_LENGTH = 8192;
    /** Only for nbf: a token may carry an iat up to a second ahead (see {@link AccessTokenMinter}). */
    private static final long CLOCK_SKEW_SECONDS = 5;

    /** Why a token is not active; each says so in words a caller can act on. */
    public enum Failure {
        MALFORMED("the access token is malformed"),
        NOT_ACCESS_TOKEN("the token is not an at+jwt access token"),
        FOREIGN("the access token was not signed by this server"),
        BAD_SIGNATURE("the access token signature is invalid"),
        OTHER_ISSUER("the access token has another issuer"),
        EXPIRED("the access token has expired"),
        NOT_YET_VALID("the access token is not valid yet"),
        REVOKED("the access token has been revoked"),
        APP_INACTIVE("the app this token was issued to, or is about, is blocked or deleted");

        private final String description;

        Failure(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The outcome: the token's claims when its signature is ours, and the failure if it is not active. */
    public record Verdict(JWTClaimsSet claims, Failure failure) {
        public boolean active() {
            return failure == null;
        }

        public String clientId() {
            return claims == null ? null : (String) claims.getClaim("client_id");
        }
    }

    private final AccessTokenCheck rfc9068;
    private final RegistryCache registry;
    private final RevocationList revocations;
    private final Clock clock;

    public AccessTokenValidator(String issuer, KeyRing keys, RegistryCache registry, RevocationList revocations, Clock clock) {
        // our keys sign access tokens only, so typ JWT (an API's token_profile "jwt") is one of ours too; the
        // algorithm must be the one our key of that kid uses
        this.rfc9068 = new AccessTokenCheck(issuer, Set.of(AccessTokenMinter.AT_JWT, AccessTokenMinter.PLAIN_JWT), null,
                header -> keys.verifier(header.getKeyID(), header.getAlgorithm()));
        this.registry = registry;
        this.revocations = revocations;
        this.clock = clock;
    }

    public Verdict check(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) return failed(null, Failure.MALFORMED);
        AccessTokenCheck.Outcome outcome = rfc9068.check(token);
        if (!outcome.passed()) return failed(null, switch (outcome.failure()) {
            case MALFORMED -> Failure.MALFORMED;
            case NOT_ACCESS_TOKEN -> Failure.NOT_ACCESS_TOKEN;
            case ALG_NOT_ACCEPTED, UNKNOWN_KEY -> Failure.FOREIGN;
            case BAD_SIGNATURE -> Failure.BAD_SIGNATURE;
            case OTHER_ISSUER -> Failure.OTHER_ISSUER;
        });
        JWTClaimsSet claims = outcome.claims();
        if (!(claims.getClaim("client_id") instanceof String clientId) || claims.getJWTID() == null
                || claims.getIssueTime() == null || claims.getExpirationTime() == null) {
            return failed(null, Failure.MALFORMED); // RFC 9068 §2.2: every token we mint has these
        }
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp.getTime() <= now) return failed(claims, Failure.EXPIRED);
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now + CLOCK_SKEW_SECONDS * 1000) return failed(claims, Failure.NOT_YET_VALID);
        if (revocations.isTokenRevoked(claims.getJWTID())
                || claims.getIssueTime().getTime() / 1000 < revocations.issuedBefore(clientId)) {
            return failed(claims, Failure.REVOKED);
        }
        boolean appActive = registry.client(clientId).map(entry -> entry.client().isActive()).orElse(false);
        if (!appActive) return failed(claims, Failure.APP_INACTIVE);
        // an exchanged token (RFC 8693) is about another app: blocking or revoking that one voids it too
        String subject = claims.getSubject();
        if (subject != null && !subject.equals(clientId)) {
            if (claims.getIssueTime().getTime() / 1000 < revocations.issuedBefore(subject)) return failed(claims, Failure.REVOKED);
            boolean subjectActive = registry.client(subject).map(entry -> entry.client().isActive()).orElse(false);
            if (!subjectActive) return failed(claims, Failure.APP_INACTIVE);
        }
        return new Verdict(claims, null);
    }

    private static Verdict failed(JWTClaimsSet claims, Failure failure) {
        return new Verdict(claims, failure);
    }

    /** The token's audiences, for authorization decisions by the caller. */
    public static List<String> audiences(JWTClaimsSet claims) {
        return claims.getAudience() == null ? List.of() : claims.getAudience();
    }
}
