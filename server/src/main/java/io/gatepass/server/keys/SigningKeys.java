package io.gatepass.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatepass.server.domain.SigningKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;

/** Generating signing keys and turning stored ones into signers and verifiers, per algorithm. */
final class SigningKeys {
    /** RFC 7518 §3.3 and §3.5: 2048 bits or larger. */
    private static final int RSA_KEY_BITS = 2048;
    static final Set<String> SUPPORTED = Set.of("RS256", "PS256", "ES256", "EdDSA");

    /** A stored key, parsed once. */
    record Loaded(SigningKey stored, JWSAlgorithm alg, JWK publicJwk, JWSSigner signer, JWSVerifier verifier) {
    }

    private SigningKeys() {
    }

    /** A new key, its private part encrypted for the store. */
    static SigningKey generate(String alg, Instant createdAt, Instant activatesAt, KeyEncryption encryption) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        try {
            JWK key = switch (alg) {
                case "RS256", "PS256" -> new RSAKeyGenerator(RSA_KEY_BITS)
                        .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyIDFromThumbprint(true).generate();
                case "ES256" -> new ECKeyGenerator(Curve.P_256)
                        .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyIDFromThumbprint(true).generate();
                case "EdDSA" -> Ed25519Jca.generate();
                default -> throw new IllegalArgumentException("no signing keys for algorithm " + alg);
            };
            return new SigningKey(key.getKeyID(), alg, encryption.encrypt(key.getKeyID(), alg, key.toJSONString()),
                    createdAt, activatesAt);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    static Loaded load(SigningKey key, KeyEncryption encryption) {
        try {
            JWK jwk = JWK.parse(encryption.decrypt(key.kid(), key.alg(), key.privateJwk()));
            JWSAlgorithm alg = JWSAlgorithm.parse(key.alg());
            if (jwk instanceof RSAKey rsa && (alg.equals(JWSAlgorithm.RS256) || alg.equals(JWSAlgorithm.PS256))) {
                return new Loaded(key, alg, rsa.toPublicJWK(), new RSASSASigner(rsa), new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            if (jwk instanceof ECKey ec && alg.equals(JWSAlgorithm.ES256)) {
                return new Loaded(key, alg, ec.toPublicJWK(), new ECDSASigner(ec), new ECDSAVerifier(ec.toECPublicKey()));
            }
            if (jwk instanceof OctetKeyPair okp && alg.equals(JWSAlgorithm.EdDSA) && Curve.Ed25519.equals(okp.getCurve())) {
                return new Loaded(key, alg, okp.toPublicJWK(), Ed25519Jca.signer(okp), Ed25519Jca.verifier(okp));
            }
            throw new IllegalStateException("signing key " + key.kid() + " in the store is a " + jwk.getKeyType()
                    + " key, which cannot sign " + key.alg());
        } catch (ParseException | JOSEException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + key.kid() + " in the store cannot be read", e);
        }
    }
}
