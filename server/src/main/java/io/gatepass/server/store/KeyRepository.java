package io.gatepass.server.store;

import io.gatepass.server.domain.SigningKey;
import java.util.List;

public interface KeyRepository {
    void insert(SigningKey key);

    /** All keys, oldest first. */
    List<SigningKey> list();

    /** Removes a key for good, its private material with it; false when there is no such key. */
    boolean delete(String kid);
}
