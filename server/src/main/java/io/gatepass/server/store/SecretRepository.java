package io.gatepass.server.store;

import io.gatepass.server.domain.ClientSecret;
import java.util.List;

public interface SecretRepository {
    void insert(ClientSecret secret);

    boolean delete(String clientId, String secretId);

    /** The app's secrets, oldest first. */
    List<ClientSecret> listForClient(String clientId);
}
