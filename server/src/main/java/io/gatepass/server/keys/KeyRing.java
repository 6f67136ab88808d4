package io.gatepass.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatepass.server.domain.SigningKey;
import io.gatepass.server.store.Store;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing keys, loaded from the store at startup; an empty store gets a new RS256 key. The newest
 * key signs; every key stays in the JWKS so that tokens it signed keep verifying.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final int RSA_KEY_BITS = 2048; // RFC 7518 §3.3: 2048 bits or larger

    /** The key that signs new tokens. */
    public record ActiveKey(String kid, JWSAlgorithm alg, JWSSigner signer) {
    }

    /** What the management API shows of a key. */
    public record KeyInfo(String kid, String alg, java.time.Instant createdAt, boolean signing) {
    }

    private final ActiveKey current;
    private final List<KeyInfo> described;
    private final Map<String, JWSVerifier> verifiers;
    private final Map<String, JWSAlgorithm> algorithms;
    private final JWKSet publicKeys;

    private KeyRing(ActiveKey current, Map<String, JWSVerifier> verifiers, Map<String, JWSAlgorithm> algorithms,
                    JWKSet publicKeys, List<KeyInfo> described) {
        this.current = current;
        this.described = List.copyOf(described);
        this.verifiers = Map.copyOf(verifiers);
        this.algorithms = Map.copyOf(algorithms);
        this.publicKeys = publicKeys;
    }

    public static KeyRing loadOrCreate(Store store, Clock clock) {
        List<SigningKey> stored = store.inTransaction(tx -> {
            List<SigningKey> keys = tx.keys().list();
            if (!keys.isEmpty()) return keys;
            SigningKey created = generateRs256(clock);
            tx.keys().insert(created);
            LOG.info("created signing key kid={} alg={}", created.kid(), created.alg());
            return List.of(created);
        });
        Map<String, JWSVerifier> verifiers = new HashMap<>();
        Map<String, JWSAlgorithm> algorithms = new HashMap<>();
        List<JWK> publicJwks = new ArrayList<>();
        ActiveKey newest = null;
        for (SigningKey key : stored) {
            try {
                RSAKey rsa = RSAKey.parse(key.privateJwk());
                JWSAlgorithm alg = JWSAlgorithm.parse(key.alg());
                verifiers.put(key.kid(), new RSASSAVerifier(rsa.toRSAPublicKey()));
                algorithms.put(key.kid(), alg);
                publicJwks.add(rsa.toPublicJWK());
                newest = new ActiveKey(key.kid(), alg, new RSASSASigner(rsa));
            } catch (ParseException | JOSEException e) {
                throw new IllegalStateException("signing key " + key.kid() + " in the store cannot be read", e);
            }
        }
        LOG.info("signing with kid={} alg={}; {} key(s) published", newest.kid(), newest.alg(), publicJwks.size());
        String signingKid = newest.kid();
        List<KeyInfo> described = stored.stream()
                .map(key -> new KeyInfo(key.kid(), key.alg(), key.createdAt(), key.kid().equals(signingKid))).toList();
        return new KeyRing(newest, verifiers, algorithms, new JWKSet(publicJwks), described);
    }

    private static SigningKey generateRs256(Clock clock) {
        try {
            RSAKey key = new RSAKeyGenerator(RSA_KEY_BITS)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true) // RFC 7638 thumbprint as kid
                    .generate();
            return new SigningKey(key.getKeyID(), JWSAlgorithm.RS256.getName(), key.toJSONString(), clock.instant());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    public ActiveKey current() {
        return current;
    }

    /** The verifier for tokens signed by {@code kid} with {@code alg}, if that key is ours and uses that algorithm. */
    public Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        if (kid == null || !alg.equals(algorithms.get(kid))) return Optional.empty();
        return Optional.ofNullable(verifiers.get(kid));
    }

    /** The public keys, as published at the JWKS endpoint. */
    public JWKSet publicKeys() {
        return publicKeys;
    }

    /** Every published key, oldest first. */
    public List<KeyInfo> describe() {
        return described;
    }

    public List<String> algorithms() {
        return algorithms.values().stream().map(JWSAlgorithm::getName).distinct().sorted().toList();
    }
}
