package io.gatepass.server.audit;

import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.codec.Json;
import io.gatepass.server.store.AssertionRepository;
import io.gatepass.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens on the OAuth endpoints — tokens issued, failed client authentications, and when each app
 * and secret was last used — without making a request wait for the store. Requests put a small record on a
 * bounded queue; one thread writes what gathers within a short window in one transaction (group commit), so
 * a burst costs a few commits, not one per token. {@link #close()} writes everything still queued.
 *
 * <p>When the queue is full (the store is down or far slower than the requests), new records are dropped and
 * counted rather than holding up token issuance; the count is logged.
 */
public final class AuditBatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditBatchWriter.class);
    private static final int QUEUE_CAPACITY = 100_000;
    private static final int MAX_BATCH = 5_000;
    private static final long IDLE_POLL_MILLIS = 200;
    /** How long the writer lets records gather after the first: one commit (one fsync) per window, not per token. */
    private static final long BATCH_WINDOW_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 30_000;

    private sealed interface Pending permits TokenIssued, AuthFailed, Used, AssertionUsed, Refused {
    }

    /** A management call refused for what it would change; outside its (rolled back) transaction. */
    private record Refused(Instant at, String actor, String action, String target, String reason) implements Pending {
    }

    private record AssertionUsed(String clientId, String jti, Instant expiresAt) implements Pending {
    }

    /** @param subject for an exchanged token, whom it is about (and the chain of actors), else {@code null} */
    private record TokenIssued(Instant at, String clientId, String secretId, String audience, String jti, String scope,
                               Instant expiresAt, Exchange subject, External external) implements Pending {
    }

    /** The platform identity an app proved itself with (workload identity federation). */
    public record External(String issuer, String subject) {
    }

    /** An RFC 8693 exchange: the subject app and the jti of the token exchanged. */
    public record Exchange(String subject, String subjectJti, java.util.List<String> actors) {
    }

    private record AuthFailed(Instant at, String clientId, String endpoint, String reason, String remoteAddress)
            implements Pending {
    }

    private record Used(Instant at, String clientId, String secretId) implements Pending {
    }

    private final Store store;
    private final Json json;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private long droppedReported;

    public AuditBatchWriter(Store store, Json json, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.writer = Thread.ofPlatform().name("gatepass-audit-writer").daemon().start(this::run);
    }

    /** A token was issued to {@code clientId}, authenticated by {@code secretId}. */
    public void tokenIssued(String clientId, String secretId, String audience, String jti, String scope, Instant expiresAt) {
        offer(new TokenIssued(clock.instant(), clientId, secretId, audience, jti, scope, expiresAt, null, null));
    }

    /** A token issued to an app that authenticated with a platform token: its external {@code iss} and {@code sub}. */
    public void tokenIssued(String clientId, String audience, String jti, String scope, Instant expiresAt, External external) {
        offer(new TokenIssued(clock.instant(), clientId, null, audience, jti, scope, expiresAt, null, external));
    }

    /** A token exchanged by {@code clientId} (the actor) for the subject of another token: both parties are recorded. */
    public void tokenExchanged(String clientId, String secretId, String audience, String jti, String scope,
                               Instant expiresAt, Exchange exchange) {
        offer(new TokenIssued(clock.instant(), clientId, secretId, audience, jti, scope, expiresAt, exchange, null));
    }

    /**
     * A client authentication failed.
     *
     * @param clientId the client_id the caller claimed, as sent (it may name no app)
     * @param reason   a short code for the log, never the presented secret
     */
    public void authenticationFailed(String clientId, String endpoint, String reason, String remoteAddress) {
        offer(new AuthFailed(clock.instant(), clientId, endpoint, reason, remoteAddress));
    }

    /** An app authenticated with a secret (for {@code last_used_at}), where no token event records it. */
    public void used(String clientId, String secretId) {
        offer(new Used(clock.instant(), clientId, secretId));
    }

    /** A client assertion id was used (private_key_jwt replay protection); written with the next batch. */
    public void assertionUsed(String clientId, String jti, Instant expiresAt) {
        offer(new AssertionUsed(clientId, jti, expiresAt));
    }

    /**
     * A management change was refused because it would give, keep or take over more management power than the
     * caller holds.
     *
     * @param action what was asked, e.g. {@code client.secret.created}
     * @param target the app or API it was asked of
     */
    public void managementRefused(String actor, String action, String target, String reason) {
        offer(new Refused(clock.instant(), actor, action, target, reason));
    }

    private void offer(Pending pending) {
        if (!queue.offer(pending)) dropped.incrementAndGet();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = queue.poll();
                closing = true;
            }
            reportDropped();
            if (first == null) {
                if (closing) return;
                continue;
            }
            batch.add(first);
            if (!closing && queue.size() < MAX_BATCH) sleep(BATCH_WINDOW_MILLIS);
            queue.drainTo(batch, MAX_BATCH - 1);
            writeWithRetry(batch);
            batch.clear();
        }
    }

    private void writeWithRetry(List<Pending> batch) {
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                return;
            } catch (RuntimeException e) {
                if (closing && attempt >= 3) {
                    LOG.error("lost {} audit records: the store refused them while stopping", batch.size(), e);
                    return;
                }
                LOG.warn("writing {} audit records failed (attempt {}); retrying in {} ms", batch.size(), attempt, backoff, e);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private void write(List<Pending> batch) {
        List<AuditEvent> events = new ArrayList<>(batch.size());
        Map<String, Instant> clientUse = new HashMap<>();
        Map<String, Instant> secretUse = new HashMap<>();
        List<AssertionRepository.UsedAssertion> assertions = new ArrayList<>();
        for (Pending pending : batch) {
            switch (pending) {
                case TokenIssued t -> {
                    events.add(tokenEvent(t));
                    clientUse.merge(t.clientId(), t.at(), AuditBatchWriter::later);
                    if (t.secretId() != null) secretUse.merge(t.secretId(), t.at(), AuditBatchWriter::later);
                }
                case AuthFailed f -> events.add(failureEvent(f));
                case Refused r -> events.add(new AuditEvent(r.at(), r.actor(), "management.refused", r.target(),
                        json.writeString(Map.of("action", r.action(), "reason", r.reason()))));
                case AssertionUsed a -> assertions.add(new AssertionRepository.UsedAssertion(a.clientId(), a.jti(), a.expiresAt()));
                case Used u -> {
                    clientUse.merge(u.clientId(), u.at(), AuditBatchWriter::later);
                    if (u.secretId() != null) secretUse.merge(u.secretId(), u.at(), AuditBatchWriter::later);
                }
            }
        }
        store.inTransaction(tx -> {
            tx.audit().appendAll(events);
            tx.clients().recordUse(clientUse);
            tx.secrets().recordUse(secretUse);
            tx.assertions().insertAll(assertions);
            return null;
        });
    }

    private AuditEvent tokenEvent(TokenIssued t) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jti", t.jti());
        details.put("scope", t.scope());
        details.put("exp", t.expiresAt().getEpochSecond());
        if (t.secretId() != null) details.put("secret_id", t.secretId());
        if (t.external() != null) {
            details.put("external_iss", t.external().issuer());
            details.put("external_sub", t.external().subject());
        }
        if (t.subject() != null) {
            details.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
            details.put("subject", t.subject().subject());
            details.put("subject_token_jti", t.subject().subjectJti());
            details.put("actors", t.subject().actors());
        }
        return new AuditEvent(t.at(), t.clientId(), "token.issued", t.audience(), json.writeString(details));
    }

    private AuditEvent failureEvent(AuthFailed f) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", f.endpoint());
        details.put("reason", f.reason());
        if (f.remoteAddress() != null) details.put("remote_address", f.remoteAddress());
        return new AuditEvent(f.at(), f.clientId(), "client.authentication_failed", f.clientId(), json.writeString(details));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void reportDropped() {
        long now = dropped.get();
        if (now != droppedReported) {
            LOG.warn("dropped {} audit records because the queue was full", now - droppedReported);
            droppedReported = now;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many records wait to be written. */
    public int queued() {
        return queue.size();
    }

    /** Writes everything queued, then stops the writer. */
    @Override
    public void close() {
        closing = true; // the writer empties the queue, then sees the flag within one poll interval
        try {
            writer.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) LOG.error("the audit writer did not finish within {} ms; {} records unwritten",
                CLOSE_TIMEOUT_MILLIS, queue.size());
    }
}
