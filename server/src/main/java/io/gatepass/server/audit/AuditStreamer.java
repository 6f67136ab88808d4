package io.gatepass.server.audit;

import io.gatepass.server.codec.Json;
import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.store.Store;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the audit log to a collector (a SIEM, a Datadog- or Splunk-style HTTP intake): the audit log in the store
 * is the outbox; one thread reads the events after the stream's cursor, POSTs them as a batch of JSON lines signed
 * with HMAC-SHA256, and moves the cursor once the collector answered 2xx — so every event is delivered at least once,
 * across collector outages (retried with backoff up to a minute) and restarts (the cursor is in the store). On
 * PostgreSQL one node streams at a time (a lease in the store, taken over when its holder stops renewing it).
 * Nothing here is on the request path: a collector that is down or slow never slows token issuance.
 *
 * <p>Each request carries {@code Gatepass-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} and
 * {@code Gatepass-Batch: <first id>-<last id>}, by which a collector can drop a batch it already has.
 */
public final class AuditStreamer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditStreamer.class);
    static final String STREAM = "default";
    static final int BATCH = 500;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /**
     * On PostgreSQL an event's id is taken before its transaction commits, so a later id can be visible before an
     * earlier one: events are streamed once they are this old, when every transaction that could still add one
     * below them has long committed. The embedded store has one writer, so nothing waits there.
     */
    private static final Duration SHARED_STORE_SETTLE = Duration.ofSeconds(2);

    private final Store store;
    private final Json json;
    private final Clock clock;
    private final Metrics metrics;
    private final URI url;
    private final String shownUrl;
    private final String headerName;
    private final String headerValue;
    private final SecretKeySpec key;
    private final HttpClient http;
    private final String owner = UUID.randomUUID().toString();
    private final Duration settle;
    private final Thread thread;
    private volatile boolean closing;
    private volatile long lagMillis;
    /** The stream's cursor while this node holds the lease, and until when it holds it; read from the store anew
     * only to renew the lease (at half its length), not every round. Only the streaming thread touches them. */
    private long cursor = -1;
    private Instant leaseUntil = Instant.EPOCH;

    /** @param header one more header, {@code Name: value}, or {@code null} */
    public AuditStreamer(Store store, Json json, Clock clock, Metrics metrics, URI url, String secret, String header) {
        this.store = store;
        this.shownUrl = shown(url);
        this.headerName = header == null ? null : header.substring(0, header.indexOf(':')).trim();
        this.headerValue = header == null ? null : header.substring(header.indexOf(':') + 1).trim();
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.url = url;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.settle = store.shared() ? SHARED_STORE_SETTLE : Duration.ZERO;
        metrics.gauge("gatepass.audit.stream.lag.seconds", "Age of the oldest audit event the collector has not acknowledged",
                this, streamer -> streamer.lagMillis / 1000.0);
        metrics.auditStreamStarted();
        this.thread = Thread.ofPlatform().name("gatepass-audit-stream").daemon().unstarted(this::run);
    }

    /** The URL as logs may show it: without user info and query, where collectors' tokens can be. */
    public static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath()) + (url.getRawQuery() == null ? "" : "?…");
    }

    public AuditStreamer start() {
        thread.start();
        return this;
    }

    private void run() {
        Duration backoff = IDLE;
        while (!closing) {
            Duration wait;
            try {
                wait = deliverOnce() ? Duration.ZERO : IDLE;
                backoff = IDLE;
            } catch (Failure e) {
                metrics.auditStreamBatch(false, 0);
                LOG.warn("streaming the audit log to {} failed ({}); retrying in {} s", shownUrl, e.getMessage(), backoff.toSeconds());
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                // the store is away or refuses writes: the stored cursor stays, the next round reads it again
                cursor = -1;
                LOG.warn("the audit stream cannot read or move its cursor: {}; retrying in {} s", e.getMessage(), backoff.toSeconds());
                wait = backoff;
            }
            if (!wait.isZero()) sleep(wait);
        }
    }

    /** One round: a batch delivered (true: there may be more) or nothing to send or not this node's turn (false). */
    private boolean deliverOnce() throws Failure {
        Instant now = clock.instant();
        if (cursor < 0 || now.isAfter(leaseUntil.minus(LEASE.dividedBy(2)))) {
            Instant until = now.plus(LEASE);
            OptionalLong claimed = store.inTransaction(tx -> tx.audit().claimStream(STREAM, owner, now, until));
            if (claimed.isEmpty()) {
                cursor = -1;
                lagMillis = 0; // another node streams, and reports its own lag
                return false;
            }
            cursor = claimed.getAsLong();
            leaseUntil = until;
        }
        Instant settled = now.minus(settle);
        long after = cursor;
        List<AuditEvent> page = store.read(tx -> tx.audit().after(Instant.EPOCH, after, BATCH)).stream()
                .takeWhile(event -> !event.occurredAt().isAfter(settled)).toList();
        if (page.isEmpty()) {
            lagMillis = 0;
            return false;
        }
        lagMillis = Math.max(0, now.toEpochMilli() - page.get(0).occurredAt().toEpochMilli());
        send(page);
        long last = page.get(page.size() - 1).id();
        if (!store.inTransaction(tx -> tx.audit().advanceStream(STREAM, owner, last))) {
            LOG.info("another node took over the audit stream; batch {}-{} may reach the collector twice", page.get(0).id(), last);
            cursor = -1;
            return false;
        }
        cursor = last;
        metrics.auditStreamBatch(true, page.size());
        return page.size() == BATCH;
    }

    private void send(List<AuditEvent> page) throws Failure {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (AuditEvent event : page) body.writeBytes(AuditLines.line(event, json));
        byte[] bytes = body.toByteArray();
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10));
        if (headerName != null) builder.header(headerName, headerValue);
        HttpRequest request = builder
                .header("Content-Type", "application/x-ndjson")
                .header("Gatepass-Signature", "t=" + timestamp + ",v1=" + signature(timestamp, bytes))
                .header("Gatepass-Batch", page.get(0).id() + "-" + page.get(page.size() - 1).id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new Failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (response.statusCode() / 100 != 2) throw new Failure("the collector answered HTTP " + response.statusCode());
    }

    /** HMAC-SHA256 of {@code "<timestamp>.<body>"}, hex: what a collector recomputes with the shared secret. */
    String signature(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** Stops after the batch in flight; what was not acknowledged is sent by the next start (or node). */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.inTransaction(tx -> {
                tx.audit().releaseStream(STREAM, owner);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not release the audit stream ({}): another node takes it over within {} s", e.getMessage(), LEASE.toSeconds());
        }
    }

    /** A delivery that did not reach a 2xx: retried. */
    private static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }
}
