package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Which tokens of a trusted issuer prove an app: those whose {@code sub} is {@code subject} (when set) and whose
 * claims have every value in {@code claims} (when set).
 *
 * @param claims a JSON object of claim names and the exact values they must have, or {@code null}
 */
public record FederatedCredential(String id, String clientId, String issuerId, String subject, String claims,
                                  Instant createdAt) {
    public FederatedCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(issuerId, "issuer_id");
        if (subject == null && claims == null) throw new IllegalArgumentException("a subject or claims");
        Objects.requireNonNull(createdAt, "created_at");
    }
}
