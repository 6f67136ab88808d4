package io.gatepass.server.store.sql;

import io.gatepass.server.domain.ConsoleSession;
import io.gatepass.server.store.ConsoleSessionRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlConsoleSessionRepository implements ConsoleSessionRepository {
    private static final String COLUMNS = "id, client_id, scopes, link_expires_at, csrf_token, started_at, last_seen_at";

    private final Handle handle;

    SqlConsoleSessionRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insertLink(ConsoleSession link, String linkDigest) {
        handle.createUpdate("INSERT INTO console_sessions (id, link_digest, client_id, scopes, link_expires_at) "
                        + "VALUES (:id, :digest, :client, :scopes, :expires)")
                .bind("id", link.id())
                .bind("digest", linkDigest)
                .bind("client", link.clientId())
                .bind("scopes", String.join(" ", link.scopes()))
                .bind("expires", link.linkExpiresAt().toEpochMilli())
                .execute();
    }

    @Override
    public Optional<ConsoleSession> redeem(String linkDigest, String sessionDigest, String csrfToken, Instant now) {
        int updated = handle.createUpdate("UPDATE console_sessions SET session_digest = :session, csrf_token = :csrf, "
                        + "started_at = :now, last_seen_at = :now "
                        + "WHERE link_digest = :link AND session_digest IS NULL AND link_expires_at > :now")
                .bind("session", sessionDigest)
                .bind("csrf", csrfToken)
                .bind("now", now.toEpochMilli())
                .bind("link", linkDigest)
                .execute();
        return updated == 1 ? findSession(sessionDigest) : Optional.empty();
    }

    @Override
    public Optional<ConsoleSession> findSession(String sessionDigest) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM console_sessions WHERE session_digest = :session")
                .bind("session", sessionDigest)
                .map((rs, ctx) -> session(rs))
                .findOne();
    }

    @Override
    public void touch(String id, Instant now) {
        handle.createUpdate("UPDATE console_sessions SET last_seen_at = :now WHERE id = :id")
                .bind("now", now.toEpochMilli()).bind("id", id).execute();
    }

    @Override
    public boolean deleteSession(String sessionDigest) {
        return handle.createUpdate("DELETE FROM console_sessions WHERE session_digest = :session")
                .bind("session", sessionDigest).execute() > 0;
    }

    @Override
    public int prune(Instant now, Instant idleCutoff, Instant startCutoff) {
        return handle.createUpdate("DELETE FROM console_sessions WHERE (session_digest IS NULL AND link_expires_at < :now) "
                        + "OR last_seen_at < :idle OR started_at < :start")
                .bind("now", now.toEpochMilli())
                .bind("idle", idleCutoff.toEpochMilli())
                .bind("start", startCutoff.toEpochMilli())
                .execute();
    }

    private static ConsoleSession session(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        return new ConsoleSession(rs.getString("id"), rs.getString("client_id"),
                scopes.isEmpty() ? java.util.Set.of() : new HashSet<>(Arrays.asList(scopes.split(" "))),
                Instant.ofEpochMilli(rs.getLong("link_expires_at")), rs.getString("csrf_token"),
                SqlTimes.nullableInstant(rs, "started_at"), SqlTimes.nullableInstant(rs, "last_seen_at"));
    }
}
