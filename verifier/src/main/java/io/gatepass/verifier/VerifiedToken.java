package io.gatepass.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Set;

/**
 * A token that passed every check: who called ({@code clientId}) and what it may do ({@code scopes}).
 *
 * @param claims all claims, for anything else an API wants to read
 */
public record VerifiedToken(String clientId, String subject, Set<String> scopes, String jti, Instant issuedAt,
                            Instant expiresAt, JWTClaimsSet claims) {
    public VerifiedToken {
        scopes = Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
