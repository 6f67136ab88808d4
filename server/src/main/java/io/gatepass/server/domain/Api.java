package io.gatepass.server.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered API: its identifier is the audience of the tokens issued for it.
 *
 * @param id            server-assigned id used in management URLs
 * @param identifier    the token audience (RFC 9068 §2.2 {@code aud}); never changes
 * @param name          a human-readable name
 * @param scopes        the scopes the API understands, in registration order
 * @param tokenLifetime lifetime of tokens for this API, in seconds
 * @param signingAlg    JWS algorithm of tokens for this API
 * @param tokenProfile  the header {@code typ} of tokens for this API
 */
public record Api(String id, String identifier, String name, List<ApiScope> scopes,
                  int tokenLifetime, String signingAlg, TokenProfile tokenProfile, Instant createdAt, Instant updatedAt) {

    public static final String ADMIN_IDENTIFIER = "urn:gatepass:admin";

    public Api {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(name, "name");
        scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
        if (tokenLifetime <= 0) throw new IllegalArgumentException("token_lifetime must be positive");
        Objects.requireNonNull(signingAlg, "signing_alg");
        Objects.requireNonNull(tokenProfile, "token_profile");
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    public boolean definesScope(String value) {
        for (ApiScope scope : scopes) {
            if (scope.value().equals(value)) return true;
        }
        return false;
    }

    public boolean isAdminApi() {
        return ADMIN_IDENTIFIER.equals(identifier);
    }
}
