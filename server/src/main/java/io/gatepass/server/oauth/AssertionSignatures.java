package io.gatepass.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.credentials.ClientKeys;
import java.security.Provider;
import java.util.Optional;

/**
 * Checks an assertion's signature against a set of public keys: the keys its {@code kid} names (all of them when it
 * names none), each with the header's algorithm. Verifiers are built once per key: a provider's key object costs
 * more than the signature check. Shared by {@code private_key_jwt} and workload identity.
 */
final class AssertionSignatures {
    /**
     * @param candidate  whether any key was one the header could mean
     * @param verifiedBy the key whose signature it is, or {@code null}
     */
    record Outcome(boolean candidate, JWK verifiedBy) {
    }

    private record VerifierKey(JWK key, JWSAlgorithm alg) {
    }

    private final Provider provider;
    private final Cache<VerifierKey, Optional<JWSVerifier>> verifiers = Caffeine.newBuilder().maximumSize(10_000).build();

    /** @param provider the provider that verifies (the native one where it loads), or {@code null} for the JDK's */
    AssertionSignatures(Provider provider) {
        this.provider = provider;
    }

    Outcome verify(SignedJWT jwt, JWKSet keys) {
        String kid = jwt.getHeader().getKeyID();
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        boolean candidate = false;
        for (JWK key : keys.getKeys()) {
            if (kid != null && !kid.equals(key.getKeyID())) continue;
            candidate = true;
            Optional<JWSVerifier> verifier = verifiers.get(new VerifierKey(key, alg), k -> ClientKeys.verifier(key, alg, provider));
            try {
                if (verifier.isPresent() && jwt.verify(verifier.get())) return new Outcome(true, key);
            } catch (JOSEException e) {
                // a signature that cannot be checked is a bad one
            }
        }
        return new Outcome(candidate, null);
    }
}
