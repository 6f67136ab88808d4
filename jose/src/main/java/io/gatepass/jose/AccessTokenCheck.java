package io.gatepass.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The RFC 9068 §4 checks that the server (management tokens, introspection) and the verifier SDK (APIs) make the
 * same way: a signed JWT whose {@code typ} is an access token's, whose algorithm is accepted, signed by a key of
 * the issuer with that key's algorithm, and issued by that issuer. What each side checks besides (audience,
 * lifetime, revocation) stays with it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 */
public final class AccessTokenCheck {
    /** RFC 9068 §2.1: "typ" MUST be "at+jwt" (or, equivalently, "application/at+jwt"). */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    public static final JOSEObjectType AT_JWT_MEDIA_TYPE = new JOSEObjectType("application/at+jwt");

    /** The first check a token failed. */
    public enum Failure {
        MALFORMED, NOT_ACCESS_TOKEN, ALG_NOT_ACCEPTED, UNKNOWN_KEY, BAD_SIGNATURE, OTHER_ISSUER
    }

    /** The token and its claims when it passed, or the failure. */
    public record Outcome(SignedJWT jwt, JWTClaimsSet claims, Failure failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    private final String issuer;
    private final Set<JOSEObjectType> types;
    private final Set<JWSAlgorithm> algorithms;
    private final Function<JWSHeader, Optional<JWSVerifier>> keys;

    /**
     * @param types      the header {@code typ} values accepted
     * @param algorithms the algorithms accepted, or {@code null} for whatever the issuer's keys sign with
     * @param keys       the verifier for a header's {@code kid} and {@code alg}, if the issuer has such a key
     */
    public AccessTokenCheck(String issuer, Set<JOSEObjectType> types, Set<JWSAlgorithm> algorithms,
                            Function<JWSHeader, Optional<JWSVerifier>> keys) {
        this.issuer = issuer;
        this.types = Set.copyOf(types);
        this.algorithms = algorithms == null ? null : Set.copyOf(algorithms);
        this.keys = keys;
    }

    public Outcome check(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return failed(Failure.MALFORMED);
        }
        JWSHeader header = jwt.getHeader();
        // RFC 9068 §4: an ID token or another JWT must not pass for an access token
        if (header.getType() == null || !types.contains(header.getType())) return failed(Failure.NOT_ACCESS_TOKEN);
        if (algorithms != null && !algorithms.contains(header.getAlgorithm())) return failed(Failure.ALG_NOT_ACCEPTED);
        // the algorithm must be the one the issuer's key uses (never "none", never HMAC with a public key)
        JWSVerifier verifier = keys.apply(header).orElse(null);
        if (verifier == null) return failed(Failure.UNKNOWN_KEY);
        try {
            if (!jwt.verify(verifier)) return failed(Failure.BAD_SIGNATURE);
        } catch (JOSEException e) {
            return failed(Failure.BAD_SIGNATURE);
        }
        if (!issuer.equals(claims.getIssuer())) return failed(Failure.OTHER_ISSUER);
        return new Outcome(jwt, claims, null);
    }

    private static Outcome failed(Failure failure) {
        return new Outcome(null, null, failure);
    }
}
