package io.gatepass.server.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
 * @param tokenExchangeActors the apps (client ids) that may exchange this API's tokens for tokens of other APIs,
 *                      on behalf of the tokens' subjects (RFC 8693); usually the apps that serve this API
 */
public record Api(String id, String identifier, String name, List<ApiScope> scopes,
                  int tokenLifetime, String signingAlg, TokenProfile tokenProfile, Instant createdAt, Instant updatedAt,
                  Set<String> tokenExchangeActors) {

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
        tokenExchangeActors = Set.copyOf(Objects.requireNonNull(tokenExchangeActors, "token_exchange_actors"));
    }

    /** An API no app may exchange tokens of. */
    public Api(String id, String identifier, String name, List<ApiScope> scopes, int tokenLifetime, String signingAlg,
               TokenProfile tokenProfile, Instant createdAt, Instant updatedAt) {
        this(id, identifier, name, scopes, tokenLifetime, signingAlg, tokenProfile, createdAt, updatedAt, Set.of());
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
