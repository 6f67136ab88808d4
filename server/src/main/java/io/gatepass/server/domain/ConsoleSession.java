package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A web console session, or the single-use login link it starts as.
 *
 * @param clientId  the app whose management token asked for the link: the session acts as it
 * @param scopes    exactly the scopes of that token
 * @param csrfToken the session's CSRF token, {@code null} while it is a link
 * @param startedAt when the link was redeemed, {@code null} while it is a link
 */
public record ConsoleSession(String id, String clientId, Set<String> scopes, Instant linkExpiresAt, String csrfToken,
                             Instant startedAt, Instant lastSeenAt) {
    public ConsoleSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "client_id");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(linkExpiresAt, "link_expires_at");
    }
}
