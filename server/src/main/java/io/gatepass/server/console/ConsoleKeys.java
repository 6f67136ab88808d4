package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /console/keys}: each algorithm's ring as a timeline — published (in the JWKS, not yet signing), signing,
 * retired (still published for the tokens it signed) — and rotation, as {@code POST /admin/keys/rotate} does it.
 */
public final class ConsoleKeys {
    static final int WIDTH = 600;

    private final ConsoleHttp http;
    private final KeyRing keys;
    private final KeyRotation rotation;
    private final Clock clock;

    ConsoleKeys(ConsoleHttp http, KeyRing keys, KeyRotation rotation, Clock clock) {
        this.http = http;
        this.keys = keys;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** A stretch of a key's life on the timeline, in SVG user units. */
    public record Segment(int x, int width, String phase, String label) {
    }

    public record Lane(KeyRing.KeyInfo key, List<Segment> segments) {
        public String published() {
            return Times.format(key.createdAt());
        }

        public String signs() {
            return Times.format(key.activatesAt());
        }

        public String retired() {
            return Times.format(key.retiredAt());
        }

        public String removed() {
            return Times.format(key.removedAt());
        }
    }

    public record Ring(String alg, List<Lane> lanes, String from, String to) {
    }

    public record View(Page page, List<Ring> rings, List<String> algorithms) {
    }

    void show(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.KEYS_READ);
        Map<String, List<KeyRing.KeyInfo>> byAlg = new TreeMap<>();
        for (KeyRing.KeyInfo key : keys.describe()) byAlg.computeIfAbsent(key.alg(), a -> new ArrayList<>()).add(key);
        Instant now = clock.instant();
        List<Ring> rings = new ArrayList<>();
        for (Map.Entry<String, List<KeyRing.KeyInfo>> entry : byAlg.entrySet()) rings.add(ring(entry.getKey(), entry.getValue(), now));
        http.render(res, 200, "keys.jte", new View(signed.page("Signing keys", "keys", Notices.of(req)), rings, keys.algorithms()));
    }

    void rotate(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = http.changing(req, form).caller().require(AdminScopes.KEYS_WRITE);
        String alg = form.required("alg", "The algorithm");
        if (!keys.algorithms().contains(alg)) throw Problem.badField("alg", "must be one of " + keys.algorithms());
        rotation.rotate(caller.actor(), alg, form.checked("immediate"));
        http.redirect(res, "/console/keys?done=key-rotated");
    }

    /** The timeline runs from the oldest key's publication to a rotation period past now. */
    private Ring ring(String alg, List<KeyRing.KeyInfo> ring, Instant now) {
        List<KeyRing.KeyInfo> sorted = ring.stream().sorted(Comparator.comparing(KeyRing.KeyInfo::activatesAt)).toList();
        Instant from = sorted.stream().map(KeyRing.KeyInfo::createdAt).min(Comparator.naturalOrder()).orElse(now);
        Instant to = now.plus(keys.policy().rotationPeriod());
        for (KeyRing.KeyInfo key : sorted) if (key.removedAt() != null && key.removedAt().isAfter(to)) to = key.removedAt();
        double span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        List<Lane> lanes = new ArrayList<>();
        for (KeyRing.KeyInfo key : sorted) {
            List<Segment> segments = new ArrayList<>();
            Instant signingEnd = key.retiredAt() != null ? key.retiredAt() : to;
            Instant publishedEnd = key.removedAt() != null ? key.removedAt() : to;
            segment(segments, from, span, key.createdAt(), key.activatesAt(), "published", "published, not yet signing");
            segment(segments, from, span, key.activatesAt(), signingEnd, "signing", "signing");
            if (key.retiredAt() != null) segment(segments, from, span, key.retiredAt(), publishedEnd, "retired", "retired, still published");
            lanes.add(new Lane(key, segments));
        }
        return new Ring(alg, lanes, Times.format(from), Times.format(to));
    }

    private static void segment(List<Segment> segments, Instant from, double span, Instant start, Instant end, String phase,
                                String label) {
        if (!end.isAfter(start)) return;
        int x = (int) Math.round((start.toEpochMilli() - from.toEpochMilli()) / span * WIDTH);
        int width = (int) Math.max(2, Math.round((end.toEpochMilli() - start.toEpochMilli()) / span * WIDTH));
        segments.add(new Segment(x, Math.min(width, WIDTH - x), phase,
                label + ": " + Times.format(start) + " to " + Times.format(end)));
    }
}
