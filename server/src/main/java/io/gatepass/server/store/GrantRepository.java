package io.gatepass.server.store;

import io.gatepass.server.domain.Grant;
import java.util.List;
import java.util.Optional;

public interface GrantRepository {
    /** Creates the grant or replaces its scopes. */
    void upsert(Grant grant);

    boolean delete(String clientId, String apiId);

    Optional<Grant> find(String clientId, String apiId);

    List<Grant> listForClient(String clientId);

    List<Grant> listForApi(String apiId);
}
