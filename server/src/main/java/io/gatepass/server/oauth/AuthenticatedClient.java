package io.gatepass.server.oauth;

import io.gatepass.server.store.RegistryCache.ClientEntry;

/**
 * An app that proved who it is on this request.
 *
 * @param secretId the secret it used ({@code last_used_at}, the audit log), or {@code null} for a key
 * @param keyId    the kid of the key whose signature it made ({@code private_key_jwt}), or {@code null}
 * @param federated for workload identity federation, the platform token's issuer and subject, else {@code null}
 */
public record AuthenticatedClient(ClientEntry entry, String secretId, String keyId, Federated federated) {
    /** The external identity behind a federated authentication, for the audit log. */
    public record Federated(String issuer, String subject, String credentialId) {
    }

    AuthenticatedClient(ClientEntry entry, String secretId, String keyId) {
        this(entry, secretId, keyId, null);
    }

    AuthenticatedClient(ClientEntry entry, String secretId) {
        this(entry, secretId, null, null);
    }

    public String clientId() {
        return entry.client().clientId();
    }
}
