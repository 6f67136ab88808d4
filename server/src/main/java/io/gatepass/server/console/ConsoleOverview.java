package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Client;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.manage.AppService;
import io.gatepass.server.metrics.MinuteCounts;
import io.gatepass.server.store.AuditRepository.MinuteCount;
import io.gatepass.server.store.Store;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /console}: what is going on at a glance. Tokens and failed authentications per minute come from the
 * audit log (every node's); 429 answers from this node's own count; apps not used lately and the next key
 * rotations from the registry and the key ring. Each part shows only where the session's scopes reach.
 */
public final class ConsoleOverview {
    /** An app unused this long is listed as idle, as Auth0 and Keycloak reports do. */
    static final Duration UNUSED = Duration.ofDays(90);
    private static final int TOP_APPS = 5;
    private static final int LISTED_APPS = 1000;

    private final ConsoleHttp http;
    private final Store store;
    private final AppService apps;
    private final KeyRing keys;
    private final MinuteCounts throttled;
    private final Clock clock;

    ConsoleOverview(ConsoleHttp http, Store store, AppService apps, KeyRing keys, MinuteCounts throttled, Clock clock) {
        this.http = http;
        this.store = store;
        this.apps = apps;
        this.keys = keys;
        this.throttled = throttled;
        this.clock = clock;
    }

    /** @param name the app's name, or {@code null} where the session may not read apps (or the app is gone) */
    public record AppActivity(String clientId, String name, long tokens, Chart spark) {
    }

    public record IdleApp(Client app, String lastUsed) {
    }

    public record KeyDue(String alg, String kid, String signingSince, String nextRotation) {
    }

    /** {@code null} parts are those the session may not read. */
    public record View(Page page, Chart tokens, List<AppActivity> topApps, Chart failures, Chart throttled,
                       List<IdleApp> idleApps, List<KeyDue> keys) {
    }

    void show(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        Page page = signed.page("Overview", "overview");
        long now = clock.millis() / 60_000;
        long first = now - Chart.MINUTES + 1;
        Instant since = Instant.ofEpochSecond(first * 60);
        List<Client> listed = page.can(AdminScopes.CLIENTS_READ) ? apps.list(LISTED_APPS, 0) : null;
        Chart tokens = null, failures = null, limited = null;
        List<AppActivity> top = null;
        if (page.can(AdminScopes.AUDIT_READ)) {
            List<MinuteCount> issued = store.read(tx -> tx.audit().countPerMinute("token.issued", since));
            tokens = Chart.of("chart-tokens", "Tokens issued per minute", "tokens", perMinute(issued, first, null), first, 120);
            top = topApps(issued, first, listed);
            List<MinuteCount> failed = store.read(tx -> tx.audit().countPerMinute("client.authentication_failed", since));
            failures = Chart.of("chart-failures", "Failed authentications per minute", "failures",
                    perMinute(failed, first, null), first, 60);
            long[] counts = new long[Chart.MINUTES];
            for (int i = 0; i < counts.length; i++) counts[i] = throttled.at(first + i);
            limited = Chart.of("chart-throttled", "429 answers per minute (this node)", "429s", counts, first, 60);
        }
        List<IdleApp> idle = listed == null ? null : idleApps(listed);
        List<KeyDue> due = page.can(AdminScopes.KEYS_READ) ? keysDue() : null;
        http.render(res, 200, "overview.jte", new View(page, tokens, top, failures, limited, idle, due));
    }

    private static long[] perMinute(List<MinuteCount> counts, long first, String actor) {
        long[] series = new long[Chart.MINUTES];
        for (MinuteCount count : counts) {
            int i = (int) (count.minute() - first);
            if (i < 0 || i >= series.length || (actor != null && !actor.equals(count.actor()))) continue;
            series[i] += count.count();
        }
        return series;
    }

    /** @param listed the apps, for their names; {@code null} where the session may not read them */
    private static List<AppActivity> topApps(List<MinuteCount> issued, long first, List<Client> listed) {
        Map<String, String> names = new HashMap<>();
        if (listed != null) for (Client app : listed) names.put(app.clientId(), app.name());
        Map<String, Long> totals = new HashMap<>();
        for (MinuteCount count : issued) totals.merge(count.actor(), count.count(), Long::sum);
        return totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_APPS)
                .map(e -> new AppActivity(e.getKey(), names.get(e.getKey()), e.getValue(), Chart.of("spark-" + e.getKey(),
                        "Tokens for " + e.getKey(), "tokens", perMinute(issued, first, e.getKey()), first, 24)))
                .toList();
    }

    private List<IdleApp> idleApps(List<Client> listed) {
        Instant cutoff = clock.instant().minus(UNUSED);
        List<IdleApp> idle = new ArrayList<>();
        for (Client app : listed) {
            if (app.lastUsedAt() == null) idle.add(new IdleApp(app, "never"));
            else if (app.lastUsedAt().isBefore(cutoff)) idle.add(new IdleApp(app, Times.format(app.lastUsedAt())));
        }
        idle.sort(Comparator.comparing((IdleApp a) -> a.app().clientId()));
        return idle;
    }

    private List<KeyDue> keysDue() {
        Duration period = keys.policy().rotationPeriod();
        List<KeyDue> due = new ArrayList<>();
        List<KeyRing.KeyInfo> described = keys.describe();
        for (String alg : keys.algorithms()) {
            List<KeyRing.KeyInfo> ring = described.stream().filter(k -> k.alg().equals(alg)).toList();
            Optional<KeyRing.KeyInfo> current = ring.stream().filter(k -> k.status() == KeyRing.Status.CURRENT).findFirst();
            Optional<KeyRing.KeyInfo> next = ring.stream().filter(k -> k.status() == KeyRing.Status.NEXT)
                    .min(Comparator.comparing(KeyRing.KeyInfo::activatesAt));
            if (current.isEmpty()) continue;
            Instant rotation = next.map(KeyRing.KeyInfo::activatesAt).orElse(current.get().activatesAt().plus(period));
            due.add(new KeyDue(alg, current.get().kid(), Times.format(current.get().activatesAt()), Times.format(rotation)));
        }
        return due;
    }
}
