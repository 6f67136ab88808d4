package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.ConsoleSession;
import io.gatepass.server.store.Store;
import io.gatepass.server.web.Problem;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sign-in to the web console without a human account: a management token asks for a single-use login link, and the
 * link becomes a session that acts with exactly that token's scopes. Links and sessions live in the store, so any
 * node honours them and a link is good once across all nodes; only digests of their secrets are kept.
 */
public final class ConsoleSessions {
    public static final Duration LINK_LIFETIME = Duration.ofSeconds(60);
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_LIFETIME = Duration.ofHours(8);
    /** A session's last use is written at most this often: pages are read far more often than idleness matters. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    public static final String VIA = "console";

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;

    public ConsoleSessions(Store store, AuditTrail audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** A login link's secret part and when it expires. */
    public record Link(String code, Instant expiresAt) {
    }

    /** A session just started: the cookie's value (shown to the browser only) and the session. */
    public record Started(String cookie, ConsoleSession session) {
    }

    /** A link for {@code caller}, whose token must carry at least one management scope. */
    public Link createLink(AdminCaller caller) {
        Set<String> scopes = new TreeSet<>(caller.scopes());
        scopes.retainAll(AdminScopes.ALL.stream().map(scope -> scope.value()).toList());
        if (scopes.isEmpty()) {
            throw Problem.of(403, "a console link needs a token with at least one management scope");
        }
        String code = ClientSecrets.generate().substring(ClientSecrets.PREFIX.length());
        Instant expires = clock.instant().plus(LINK_LIFETIME);
        ConsoleSession link = new ConsoleSession("cs_" + ClientSecrets.randomId(20), caller.clientId(), scopes, expires,
                null, null, null);
        store.inTransaction(tx -> {
            tx.consoleSessions().insertLink(link, digest(code));
            audit.record(tx, caller.actor(), "console.link_created", caller.clientId(), null,
                    Map.of("session", link.id(), "scopes", String.join(" ", scopes)));
            return null;
        });
        return new Link(code, expires);
    }

    /** The session the link {@code code} starts; empty when it is unknown, used or expired. */
    public Optional<Started> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 128) return Optional.empty();
        String cookie = ClientSecrets.generate().substring(ClientSecrets.PREFIX.length());
        String csrf = ClientSecrets.generate().substring(ClientSecrets.PREFIX.length());
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            Optional<ConsoleSession> session = tx.consoleSessions().redeem(digest(code), digest(cookie), csrf, now);
            session.ifPresent(s -> audit.record(tx, caller(s).actor(),
                    "console.signed_in", s.clientId(), null, Map.of("session", s.id())));
            return session.map(s -> new Started(cookie, s));
        });
    }

    /**
     * The live session behind a cookie: not idle for {@link #IDLE_TIMEOUT}, younger than {@link #MAX_LIFETIME}, and
     * its app still there and active (blocking the app ends its console sessions).
     */
    public Optional<ConsoleSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 128) return Optional.empty();
        String digest = digest(cookie);
        Instant now = clock.instant();
        Optional<ConsoleSession> found = store.read(tx -> tx.consoleSessions().findSession(digest)
                .filter(s -> tx.clients().find(s.clientId()).map(c -> c.status() == ClientStatus.ACTIVE).orElse(false)));
        if (found.isEmpty()) return Optional.empty();
        ConsoleSession session = found.get();
        if (session.lastSeenAt().plus(IDLE_TIMEOUT).isBefore(now) || session.startedAt().plus(MAX_LIFETIME).isBefore(now)) {
            return Optional.empty();
        }
        if (session.lastSeenAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            store.inTransaction(tx -> {
                tx.consoleSessions().touch(session.id(), now);
                return null;
            });
        }
        return found;
    }

    /** Signs the session out: its cookie is good for nothing after this. */
    public void end(ConsoleSession session, String cookie) {
        store.inTransaction(tx -> {
            if (tx.consoleSessions().deleteSession(digest(cookie))) {
                audit.record(tx, caller(session).actor(), "console.signed_out",
                        session.clientId(), null, Map.of("session", session.id()));
            }
            return null;
        });
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(ConsoleSession session, String presented) {
        if (presented == null || session.csrfToken() == null) return false;
        return MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The caller a session acts as. */
    public static AdminCaller caller(ConsoleSession session) {
        return new AdminCaller(session.clientId(), session.scopes(), VIA);
    }

    /** Removes expired links and ended sessions; from housekeeping. */
    public int prune() {
        Instant now = clock.instant();
        return store.inTransaction(tx -> tx.consoleSessions().prune(now, now.minus(IDLE_TIMEOUT), now.minus(MAX_LIFETIME)));
    }

    private static String digest(String value) {
        return HexFormat.of().formatHex(ClientSecrets.digest(value));
    }
}
