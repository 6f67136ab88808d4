package io.gatepass.server.store;

import io.gatepass.server.domain.InitialAccessToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** RFC 7591 initial access tokens, found by the digest of their value. */
public interface InitialAccessTokenRepository {
    void insert(InitialAccessToken token);

    List<InitialAccessToken> list(int limit, int offset);

    Optional<InitialAccessToken> find(String id);

    Optional<InitialAccessToken> findByDigest(byte[] digest);

    /**
     * Counts one use of the token if it has uses left and has not expired at {@code now}; atomic, so that nodes
     * sharing the database never let it be used more than its {@code max_uses} between them.
     *
     * @return whether the use was counted
     */
    boolean consume(String id, Instant now);

    boolean delete(String id);
}
