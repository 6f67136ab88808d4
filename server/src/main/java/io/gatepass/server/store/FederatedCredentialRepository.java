package io.gatepass.server.store;

import io.gatepass.server.domain.FederatedCredential;
import java.util.List;

public interface FederatedCredentialRepository {
    void insert(FederatedCredential credential);

    boolean delete(String clientId, String id);

    List<FederatedCredential> listForClient(String clientId);

    /** The apps (client ids) with a credential on this issuer. */
    List<String> clientsOfIssuer(String issuerId);
}
