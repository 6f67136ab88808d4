package io.gatepass.server.store;

import io.gatepass.server.domain.TrustedIssuer;
import java.util.List;
import java.util.Optional;

public interface TrustedIssuerRepository {
    /** @throws DuplicateKeyException when the issuer is registered already */
    void insert(TrustedIssuer issuer);

    void update(TrustedIssuer issuer);

    /** Its federated credentials go with it (ON DELETE CASCADE). */
    boolean delete(String id);

    Optional<TrustedIssuer> find(String id);

    Optional<TrustedIssuer> findByIssuer(String issuer);

    List<TrustedIssuer> list(int limit, int offset);
}
