package io.gatepass.server.store;

import io.gatepass.server.domain.ConsoleSession;
import java.time.Instant;
import java.util.Optional;

/** Console login links and the sessions they become; found by the hex SHA-256 digests of their secrets. */
public interface ConsoleSessionRepository {
    void insertLink(ConsoleSession link, String linkDigest);

    /**
     * Turns the unexpired, unused link {@code linkDigest} into a session; atomic, so that a link starts one session
     * however many nodes see it at once.
     *
     * @return the session, or empty when the link is unknown, used or expired
     */
    Optional<ConsoleSession> redeem(String linkDigest, String sessionDigest, String csrfToken, Instant now);

    Optional<ConsoleSession> findSession(String sessionDigest);

    void touch(String id, Instant now);

    boolean deleteSession(String sessionDigest);

    /** Removes links expired before {@code now} and sessions idle since or started before the cut-offs. */
    int prune(Instant now, Instant idleCutoff, Instant startCutoff);
}
