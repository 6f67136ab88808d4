package io.gatepass.server.store;

import io.gatepass.server.domain.SigningKey;
import java.util.List;

public interface KeyRepository {
    void insert(SigningKey key);

    /** All keys, oldest first. */
    List<SigningKey> list();

    /** Replaces the stored private part (encrypting keys stored in clear by an older version). */
    void replacePrivateJwk(String kid, String privateJwk);

    /** Removes a key for good, its private material with it; false when there is no such key. */
    boolean delete(String kid);
}
