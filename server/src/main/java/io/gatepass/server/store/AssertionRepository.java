package io.gatepass.server.store;

import java.time.Instant;
import java.util.List;

/** Client assertion ids already used (private_key_jwt replay protection). */
public interface AssertionRepository {
    record UsedAssertion(String clientId, String jti, Instant expiresAt) {
    }

    /** Stores uses; an id stored already is left as it is. */
    void insertAll(List<UsedAssertion> uses);

    /** Stores one use; false when the same app's {@code jti} is stored already (a replay). */
    boolean insertIfAbsent(UsedAssertion use);

    /** Whether the id is stored and not expired. */
    boolean isStored(String clientId, String jti, Instant now);

    List<UsedAssertion> listUnexpired(Instant now);

    int deleteExpired(Instant now);
}
