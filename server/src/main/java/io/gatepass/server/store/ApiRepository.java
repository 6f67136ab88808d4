package io.gatepass.server.store;

import io.gatepass.server.domain.Api;
import java.util.List;
import java.util.Optional;

public interface ApiRepository {
    /** @throws DuplicateKeyException when the identifier is taken */
    void insert(Api api);

    void update(Api api);

    boolean delete(String id);

    Optional<Api> findById(String id);

    Optional<Api> findByIdentifier(String identifier);

    List<Api> list(int limit, int offset);

    /** Every signing algorithm some API uses. */
    List<String> signingAlgorithms();
}
