package io.gatepass.server.keys;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.domain.SigningKey;
import io.gatepass.server.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to the key ring, each stored and audited in one transaction and then loaded: rotation (by an admin or
 * on schedule), emergency removal of a compromised key, and deleting retired keys nothing needs any more.
 */
public final class KeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
    public static final Actor SYSTEM = Actor.SYSTEM;

    private final Store store;
    private final KeyRing keys;
    private final AuditTrail audit;

    public KeyRotation(Store store, KeyRing keys, AuditTrail audit) {
        this.store = store;
        this.keys = keys;
        this.audit = audit;
    }

    /**
     * Master key rotation on demand: re-encrypts under the current master key every signing key still under the
     * previous one ({@code GATEPASS_MASTER_KEY_PREVIOUS}), in one transaction with its audit record.
     *
     * @return how many keys were re-encrypted
     */
    public int rewrap(Actor actor) {
        int rewrapped = store.inTransaction(tx -> {
            int count = keys.rewrapIn(tx);
            audit.record(tx, actor, "keys.rewrapped", "master-key", null, Map.of("keys_rewrapped", count));
            return count;
        });
        LOG.info("re-encrypted {} signing key(s) under the current master key", rewrapped);
        return rewrapped;
    }

    /** Publishes a new key for {@code alg}; it signs after the propagation delay, or at once when {@code immediate}. */
    public KeyRing.KeyInfo rotate(Actor actor, String alg, boolean immediate) {
        SigningKey key = keys.newKey(alg, immediate);
        store.inTransaction(tx -> {
            tx.keys().insert(key);
            audit.record(tx, actor, "key.rotated", key.kid(), null, view(key, immediate));
            return null;
        });
        LOG.info("published signing key kid={} alg={}, signing from {}", key.kid(), key.alg(), key.activatesAt());
        return keys.describe().stream().filter(k -> k.kid().equals(key.kid())).findFirst().orElseThrow();
    }

    /**
     * Withdraws a key at once: it leaves the JWKS and tokens it signed stop verifying here. When it was signing, a
     * new key of its algorithm signs from now on.
     *
     * @return the replacement key, if one was needed; empty when {@code kid} is unknown and nothing happened
     */
    public Optional<Optional<KeyRing.KeyInfo>> remove(Actor actor, String kid) {
        Optional<KeyRing.KeyInfo> target = keys.describe().stream().filter(k -> k.kid().equals(kid)).findFirst();
        if (target.isEmpty()) return Optional.empty();
        boolean signing = target.get().status() == KeyRing.Status.CURRENT;
        SigningKey replacement = signing ? keys.newKey(target.get().alg(), true) : null;
        store.inTransaction(tx -> {
            if (replacement != null) {
                tx.keys().insert(replacement);
                audit.record(tx, actor, "key.rotated", replacement.kid(), null, view(replacement, true));
            }
            tx.keys().delete(kid);
            audit.record(tx, actor, "key.deleted", kid, Map.of("kid", kid, "alg", target.get().alg(),
                    "status", target.get().status().name().toLowerCase()), null);
            return null;
        });
        LOG.warn("signing key kid={} removed by {}{}", kid, actor.id(),
                replacement == null ? "" : "; kid=" + replacement.kid() + " signs from now on");
        return Optional.of(Optional.ofNullable(replacement)
                .flatMap(r -> keys.describe().stream().filter(k -> k.kid().equals(r.kid())).findFirst()));
    }

    /**
     * Makes sure {@code alg} has a signing key, creating one that signs at once if not (an API just chose an
     * algorithm no API used before: no token of it exists yet, so there is nothing to pre-publish for).
     */
    public void ensureRing(Actor actor, String alg) {
        if (keys.current(alg).isPresent()) return;
        SigningKey key = keys.newKey(alg, true);
        boolean created = store.inTransaction(tx -> {
            tx.lock("keys");
            // another node may have started this ring a moment ago
            if (tx.keys().list().stream().anyMatch(k -> k.alg().equals(alg))) return false;
            tx.keys().insert(key);
            audit.record(tx, actor, "key.rotated", key.kid(), null, view(key, true));
            return true;
        });
        if (created) LOG.info("started the {} key ring with kid={}", alg, key.kid());
    }

    /** The scheduled part: rotates rings that are due and deletes keys retired long enough. */
    public void maintain() {
        for (String alg : keys.algorithmsDueForRotation()) rotate(SYSTEM, alg, false);
        List<String> expired = keys.expiredKids();
        if (expired.isEmpty()) return;
        store.inTransaction(tx -> {
            for (String kid : expired) {
                tx.keys().delete(kid);
                audit.record(tx, SYSTEM, "key.expired", kid, Map.of("kid", kid), null);
            }
            return null;
        });
        LOG.info("deleted {} retired signing key(s) whose tokens have all expired", expired.size());
    }

    private static Map<String, Object> view(SigningKey key, boolean immediate) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kid", key.kid());
        view.put("alg", key.alg());
        view.put("activates_at", key.activatesAt().toString());
        view.put("immediate", immediate);
        return view;
    }
}
