package io.gatepass.server.oauth;

import io.gatepass.server.store.RegistryCache.ClientEntry;

/**
 * An app that proved who it is on this request.
 *
 * @param secretId the secret it used, for {@code last_used_at} and the audit log
 */
record AuthenticatedClient(ClientEntry entry, String secretId) {
    String clientId() {
        return entry.client().clientId();
    }
}
