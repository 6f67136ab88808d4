package io.gatepass.server.store;

import io.gatepass.server.domain.Revocation;
import java.time.Instant;
import java.util.List;

public interface RevocationRepository {
    /** Stores a revocation; a token already revoked is left as it is. */
    void insert(Revocation revocation);

    /** Revocations with an id above {@code afterId}, in id order, at most {@code limit}. */
    List<Revocation> listAfter(long afterId, int limit);

    /** Removes revocations that void nothing any more; returns how many. */
    int deleteExpired(Instant now);
}
