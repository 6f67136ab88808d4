package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What an app may request from one API: the scopes it is granted there.
 *
 * @param claims extra claims in every token of this grant, as a JSON object, or {@code null} for none
 */
public record Grant(String clientId, String apiId, Set<String> scopes, Instant createdAt, Instant updatedAt,
                    String claims) {
    public Grant {
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(apiId, "api_id");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    /** A grant without claims of its own. */
    public Grant(String clientId, String apiId, Set<String> scopes, Instant createdAt, Instant updatedAt) {
        this(clientId, apiId, scopes, createdAt, updatedAt, null);
    }
}
