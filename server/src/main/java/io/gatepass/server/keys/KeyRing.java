package io.gatepass.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatepass.server.domain.SigningKey;
import io.gatepass.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing keys, one ring per algorithm. Each key is published in the JWKS from its creation and
 * signs from its {@code activates_at}; the newest key whose time has come signs (current), a newer one waits
 * (next), and older ones (retired) stay published until every token they signed has expired, then are deleted.
 *
 * <p>States follow from the stored times and the clock, so a key becomes current at its moment without a
 * scheduler: the snapshot the hot path reads is rebuilt when the clock passes its next transition.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    public static final String DEFAULT_ALG = "RS256";
    /** The longest token lifetime (86,400 s) and a minute: after that, a retired key has nothing left to verify. */
    static final Duration RETIRED_KEEP = Duration.ofSeconds(86_400 + 60);

    /** The key that signs new tokens of its algorithm. */
    public record ActiveKey(String kid, JWSAlgorithm alg, JWSSigner signer) {
    }

    public enum Status { NEXT, CURRENT, RETIRED }

    /** What the management API shows of a key: public facts and times, never key material. */
    public record KeyInfo(String kid, String alg, Status status, Instant createdAt, Instant activatesAt,
                          Instant retiredAt, Instant removedAt) {
    }

    private record Snapshot(Map<String, ActiveKey> current, Map<String, SigningKeys.Loaded> published,
                            byte[] jwks, List<KeyInfo> described, long validUntilMillis) {
    }

    private final Store store;
    private final Clock clock;
    private final KeyPolicy policy;
    private final KeyEncryption encryption;
    private final CryptoProviders providers;
    private volatile List<SigningKeys.Loaded> keys;
    private volatile Snapshot snapshot;

    private KeyRing(Store store, Clock clock, KeyPolicy policy, KeyEncryption encryption, CryptoProviders providers) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.encryption = encryption;
        this.providers = providers;
    }

    /**
     * Loads the keys; an empty store gets an {@value #DEFAULT_ALG} key that signs at once. Every stored key is
     * decrypted before anything is written, so a wrong master key stops here with the store untouched. Keys that
     * an older version stored in clear are encrypted in place.
     */
    public static KeyRing loadOrCreate(Store store, Clock clock, KeyPolicy policy, KeyEncryption encryption,
                                       CryptoProviders providers) {
        for (SigningKey key : store.read(tx -> tx.keys().list())) {
            if (KeyEncryption.isEncrypted(key.privateJwk())) encryption.decrypt(key.kid(), key.alg(), key.privateJwk());
        }
        store.inTransaction(tx -> {
            tx.lock("keys"); // two nodes starting on an empty database create one first key, not two
            List<SigningKey> stored = tx.keys().list();
            for (SigningKey key : stored) {
                if (KeyEncryption.isEncrypted(key.privateJwk())) continue;
                tx.keys().replacePrivateJwk(key.kid(), encryption.encrypt(key.kid(), key.alg(), key.privateJwk()));
                LOG.info("encrypted signing key kid={} at rest", key.kid());
            }
            int rewrapped = rewrap(tx, encryption);
            if (rewrapped > 0) LOG.info("re-encrypted {} signing key(s) under the new master key", rewrapped);
            if (stored.isEmpty()) {
                Instant now = clock.instant();
                SigningKey created = SigningKeys.generate(DEFAULT_ALG, now, now, encryption, providers.preferred());
                tx.keys().insert(created);
                LOG.info("created signing key kid={} alg={}", created.kid(), created.alg());
            }
            return null;
        });
        KeyRing ring = new KeyRing(store, clock, policy, encryption, providers);
        ring.reload();
        ActiveKey current = ring.current();
        LOG.info("signing with kid={} alg={}; {} key(s) published", current.kid(), current.alg(),
                ring.snapshot().published().size());
        return ring;
    }

    /**
     * A master key rotation on demand: every signing key still under the previous master key is re-encrypted under
     * the current one, in one transaction (another node that created a key under the old one during a rolling
     * restart, say). The number of keys re-encrypted.
     */
    int rewrapIn(io.gatepass.server.store.StoreTransaction tx) {
        tx.lock("keys");
        return rewrap(tx, encryption);
    }

    private static int rewrap(io.gatepass.server.store.StoreTransaction tx, KeyEncryption encryption) {
        int rewrapped = 0;
        for (SigningKey key : tx.keys().list()) {
            if (!KeyEncryption.isEncrypted(key.privateJwk())) continue;
            String moved = encryption.rewrap(key.kid(), key.alg(), key.privateJwk());
            if (moved == null) continue;
            tx.keys().replacePrivateJwk(key.kid(), moved);
            rewrapped++;
        }
        return rewrapped;
    }

    /** Re-reads the keys from the store, after a change by this node or another (a {@code Change.Keys}). */
    public synchronized void reload() {
        Map<String, SigningKeys.Loaded> known = new HashMap<>();
        if (keys != null) for (SigningKeys.Loaded key : keys) known.put(key.stored().kid(), key);
        List<SigningKeys.Loaded> loaded = new ArrayList<>();
        for (SigningKey key : store.read(tx -> tx.keys().list())) {
            SigningKeys.Loaded parsed = known.get(key.kid());
            loaded.add(parsed != null ? parsed : SigningKeys.load(key, encryption, providers));
        }
        keys = List.copyOf(loaded);
        snapshot = build(keys, clock.instant());
    }

    private Snapshot snapshot() {
        Snapshot current = snapshot;
        if (clock.millis() < current.validUntilMillis()) return current;
        synchronized (this) {
            if (clock.millis() >= snapshot.validUntilMillis()) snapshot = build(keys, clock.instant());
            return snapshot;
        }
    }

    private static Snapshot build(List<SigningKeys.Loaded> keys, Instant now) {
        Map<String, List<SigningKeys.Loaded>> byAlg = new HashMap<>();
        for (SigningKeys.Loaded key : keys) byAlg.computeIfAbsent(key.stored().alg(), a -> new ArrayList<>()).add(key);
        Map<String, ActiveKey> current = new HashMap<>();
        Map<String, SigningKeys.Loaded> published = new HashMap<>();
        List<KeyInfo> described = new ArrayList<>();
        List<JWK> jwks = new ArrayList<>();
        long validUntil = Long.MAX_VALUE;
        for (List<SigningKeys.Loaded> ring : byAlg.values()) {
            ring.sort(Comparator.comparing((SigningKeys.Loaded k) -> k.stored().activatesAt())
                    .thenComparing(k -> k.stored().createdAt()));
            int currentIndex = -1;
            for (int i = 0; i < ring.size(); i++) if (!ring.get(i).stored().activatesAt().isAfter(now)) currentIndex = i;
            for (int i = 0; i < ring.size(); i++) {
                SigningKeys.Loaded key = ring.get(i);
                SigningKey stored = key.stored();
                Status status;
                Instant retiredAt = null;
                Instant removedAt = null;
                if (i > currentIndex) {
                    status = Status.NEXT;
                    validUntil = Math.min(validUntil, stored.activatesAt().toEpochMilli());
                } else if (i == currentIndex) {
                    status = Status.CURRENT;
                    current.put(stored.alg(), new ActiveKey(stored.kid(), key.alg(), key.signer()));
                } else {
                    status = Status.RETIRED;
                    retiredAt = ring.get(i + 1).stored().activatesAt();
                    removedAt = retiredAt.plus(RETIRED_KEEP);
                    if (!removedAt.isAfter(now)) continue; // nothing it signed is still valid
                    validUntil = Math.min(validUntil, removedAt.toEpochMilli());
                }
                published.put(stored.kid(), key);
                jwks.add(key.publicJwk());
                described.add(new KeyInfo(stored.kid(), stored.alg(), status, stored.createdAt(), stored.activatesAt(),
                        retiredAt, removedAt));
            }
        }
        described.sort(Comparator.comparing(KeyInfo::alg).thenComparing(KeyInfo::activatesAt));
        byte[] jwksJson = new JWKSet(jwks).toString(true).getBytes(StandardCharsets.UTF_8);
        return new Snapshot(Map.copyOf(current), Map.copyOf(published), jwksJson, List.copyOf(described), validUntil);
    }

    /** The key that signs new tokens of the default algorithm. */
    public ActiveKey current() {
        return current(DEFAULT_ALG).orElseThrow(() -> new IllegalStateException("no current " + DEFAULT_ALG + " key"));
    }

    /** The key that signs new tokens of {@code alg}, if that algorithm has a ring. */
    public Optional<ActiveKey> current(String alg) {
        return Optional.ofNullable(snapshot().current().get(alg));
    }

    /** The verifier for tokens signed by {@code kid} with {@code alg}, if that key is published and uses that algorithm. */
    public Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        if (kid == null || alg == null) return Optional.empty();
        SigningKeys.Loaded key = snapshot().published().get(kid);
        if (key == null || !key.alg().equals(alg)) return Optional.empty();
        return Optional.of(key.verifier());
    }

    /** The JWKS document: every published key, public parts only. */
    public byte[] jwksJson() {
        return snapshot().jwks();
    }

    /** Every published key, by algorithm, in activation order. */
    public List<KeyInfo> describe() {
        return snapshot().described();
    }

    /** The algorithms tokens can be signed with. */
    public List<String> algorithms() {
        return SigningKeys.SUPPORTED.stream().sorted().toList();
    }

    /** Who signs: the native provider or the JDK, per key as loaded; for {@code /health/ready}. */
    public String cryptoProvider() {
        List<String> used = keys.stream().map(SigningKeys.Loaded::provider).distinct().sorted().toList();
        return providers.description() + (used.size() > 1 ? " (some keys: " + String.join(", ", used) + ")" : "");
    }

    public KeyPolicy policy() {
        return policy;
    }

    /**
     * A new key for {@code alg}, published now and signing after the propagation delay, or at once when
     * {@code immediate}; the caller stores it and then calls {@link #reload()}.
     */
    public SigningKey newKey(String alg, boolean immediate) {
        Instant now = clock.instant();
        return SigningKeys.generate(alg, now, immediate ? now : now.plus(policy.propagationDelay()), encryption,
                providers.preferred());
    }

    /** Keys that are due: a successor for rings whose current key has served its period, and none already waiting. */
    public List<String> algorithmsDueForRotation() {
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        Map<String, List<KeyInfo>> byAlg = new HashMap<>();
        for (KeyInfo key : describe()) byAlg.computeIfAbsent(key.alg(), a -> new ArrayList<>()).add(key);
        for (Map.Entry<String, List<KeyInfo>> ring : byAlg.entrySet()) {
            boolean waiting = ring.getValue().stream().anyMatch(k -> k.status() == Status.NEXT);
            Optional<KeyInfo> current = ring.getValue().stream().filter(k -> k.status() == Status.CURRENT).findFirst();
            Instant due0 = current.map(k -> k.activatesAt().plus(policy.rotationPeriod()).minus(policy.propagationDelay()))
                    .orElse(Instant.MAX);
            if (!waiting && !due0.isAfter(now)) due.add(ring.getKey());
        }
        return due;
    }

    /** Stored keys no longer published (retired long enough); their rows can be deleted. */
    public List<String> expiredKids() {
        Map<String, SigningKeys.Loaded> published = snapshot().published();
        return keys.stream().map(k -> k.stored().kid()).filter(kid -> !published.containsKey(kid)).toList();
    }
}
