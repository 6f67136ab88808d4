package io.gatepass.server.store;

import io.gatepass.server.domain.Client;
import java.util.List;
import java.util.Optional;

public interface ClientRepository {
    /** @throws DuplicateKeyException when the client_id is taken */
    void insert(Client client);

    void update(Client client);

    boolean delete(String clientId);

    Optional<Client> find(String clientId);

    List<Client> list(int limit, int offset);
}
