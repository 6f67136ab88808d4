package io.gatepass.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * For a token exchanged on behalf of {@link #subject} (RFC 8693 §4.1 {@code act}): the apps that acted, the one
     * calling now first; empty for a token an app got for itself.
     */
    public List<String> actors() {
        List<String> actors = new ArrayList<>();
        for (Object act = claims.getClaim("act"); act instanceof Map<?, ?> level; act = level.get("act")) {
            if (level.get("sub") instanceof String sub) actors.add(sub);
        }
        return List.copyOf(actors);
    }
}
