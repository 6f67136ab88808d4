package io.gatepass.server.keys;

import io.gatepass.jose.Ed25519Jca;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
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
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generating signing keys and turning stored ones into signers and verifiers, per algorithm and provider. Public
 * for the benchmarks in {@code bench}; the server uses it through {@link KeyRing}.
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    /** RFC 7518 §3.3 and §3.5: 2048 bits or larger. */
    private static final int RSA_KEY_BITS = 2048;
    static final Set<String> SUPPORTED = Set.of("RS256", "PS256", "ES256", "EdDSA");
    private static final byte[] SELF_TEST = "gatepass signing self-test".getBytes(StandardCharsets.UTF_8);

    /** A stored key, parsed once. {@code provider} names who signs with it. */
    public record Loaded(SigningKey stored, JWSAlgorithm alg, JWK publicJwk, JWSSigner signer, JWSVerifier verifier,
                  String provider) {
    }

    private SigningKeys() {
    }

    /** A new key, its private part encrypted for the store. */
    public static SigningKey generate(String alg, Instant createdAt, Instant activatesAt, KeyEncryption encryption) {
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

    /**
     * The key with signer and verifier from the preferred provider when it handles this key (it passes a
     * sign-and-verify self-test), else from the JDK's providers.
     */
    static Loaded load(SigningKey key, KeyEncryption encryption, CryptoProviders providers) {
        JWK jwk;
        try {
            jwk = JWK.parse(encryption.decrypt(key.kid(), key.alg(), key.privateJwk()));
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + key.kid() + " in the store cannot be read", e);
        }
        Provider preferred = providers.preferred();
        if (preferred != null) {
            try {
                Loaded loaded = load(key, jwk, preferred);
                selfTest(loaded);
                return loaded;
            } catch (GeneralSecurityException | JOSEException | RuntimeException e) {
                LOG.warn("{} cannot use signing key kid={} alg={} ({}); the JDK signs with it", providers.description(),
                        key.kid(), key.alg(), e.toString());
            }
        }
        try {
            return load(key, jwk, null);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("signing key " + key.kid() + " in the store cannot be used", e);
        }
    }

    /** @param provider the provider for key objects, signer and verifier, or {@code null} for the JDK's */
    public static Loaded load(SigningKey key, JWK jwk, Provider provider) throws GeneralSecurityException, JOSEException {
        JWSAlgorithm alg = JWSAlgorithm.parse(key.alg());
        String name = provider == null ? "JDK" : provider.getName();
        if (jwk instanceof RSAKey rsa && (alg.equals(JWSAlgorithm.RS256) || alg.equals(JWSAlgorithm.PS256))) {
            // key objects of the provider that signs: a JDK key object would be converted on every signature
            RSAPrivateKey privateKey = CryptoProviders.translate("RSA", rsa.toRSAPrivateKey(), provider);
            RSAPublicKey publicKey = CryptoProviders.translate("RSA", rsa.toRSAPublicKey(), provider);
            RSASSASigner signer = new RSASSASigner(privateKey);
            RSASSAVerifier verifier = new RSASSAVerifier(publicKey);
            signer.getJCAContext().setProvider(provider);
            verifier.getJCAContext().setProvider(provider);
            return new Loaded(key, alg, rsa.toPublicJWK(), signer, verifier, name);
        }
        if (jwk instanceof ECKey ec && alg.equals(JWSAlgorithm.ES256)) {
            ECDSASigner signer = new ECDSASigner(CryptoProviders.translate("EC", ec.toECPrivateKey(), provider), Curve.P_256);
            ECDSAVerifier verifier = new ECDSAVerifier(CryptoProviders.translate("EC", ec.toECPublicKey(), provider));
            signer.getJCAContext().setProvider(provider);
            verifier.getJCAContext().setProvider(provider);
            return new Loaded(key, alg, ec.toPublicJWK(), signer, verifier, name);
        }
        if (jwk instanceof OctetKeyPair okp && alg.equals(JWSAlgorithm.EdDSA) && Curve.Ed25519.equals(okp.getCurve())) {
            return new Loaded(key, alg, okp.toPublicJWK(), Ed25519Jca.signer(okp, provider),
                    Ed25519Jca.verifier(okp, provider), name);
        }
        throw new IllegalStateException("signing key " + key.kid() + " in the store is a " + jwk.getKeyType()
                + " key, which cannot sign " + key.alg());
    }


    private static void selfTest(Loaded key) throws JOSEException {
        JWSHeader header = new JWSHeader(key.alg());
        if (!key.verifier().verify(header, SELF_TEST, key.signer().sign(header, SELF_TEST))) {
            throw new JOSEException("the self-test signature did not verify");
        }
    }
}
