package io.gatepass.server.store;

import io.gatepass.server.domain.SigningKey;
import java.util.List;

public interface KeyRepository {
    void insert(SigningKey key);

    /** All keys, oldest first. */
    List<SigningKey> list();
}
