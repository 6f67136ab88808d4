package io.gatepass.server.store;

import io.gatepass.server.domain.ClientSecret;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public interface SecretRepository {
    void insert(ClientSecret secret);

    boolean delete(String clientId, String secretId);

    /** Moves each secret's {@code last_used_at} forward to the given time (never back); unknown ids are skipped. */
    void recordUse(Map<String, Instant> lastUseById);

    /** The app's secrets, oldest first. */
    List<ClientSecret> listForClient(String clientId);
}
