package io.gatepass.server.store;

import io.gatepass.server.domain.ClientRegistration;
import java.util.Optional;

/** The RFC 7592 side of self-registered apps; a row goes with its app (ON DELETE CASCADE). */
public interface RegistrationRepository {
    void insert(ClientRegistration registration);

    /** Replaces the token digest and the metadata. */
    void update(ClientRegistration registration);

    Optional<ClientRegistration> find(String clientId);
}
