package io.gatepass.server.store;

import io.gatepass.server.domain.Client;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface ClientRepository {
    /** @throws DuplicateKeyException when the client_id is taken */
    void insert(Client client);

    void update(Client client);

    boolean delete(String clientId);

    /** Moves each app's {@code last_used_at} forward to the given time (never back); unknown ids are skipped. */
    void recordUse(Map<String, Instant> lastUseByClientId);

    Optional<Client> find(String clientId);

    List<Client> list(int limit, int offset);
}
