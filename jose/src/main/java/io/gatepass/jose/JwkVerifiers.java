package io.gatepass.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A signature verifier for a public JWK and an algorithm, through a given provider's own key objects (the native
 * one where it loads: a JDK key handed to it would be converted on every check). Shared by the server (apps' keys,
 * issuers' keys, DPoP proofs) and the verifier SDK (DPoP proofs).
 */
public final class JwkVerifiers {
    /** RFC 7518 and RFC 8037: the asymmetric JWS algorithms; never {@code none} or HMAC. */
    public static final List<JWSAlgorithm> ASYMMETRIC = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private static final Map<JWSAlgorithm, Curve> EC_CURVES =
            Map.of(JWSAlgorithm.ES256, Curve.P_256, JWSAlgorithm.ES384, Curve.P_384, JWSAlgorithm.ES512, Curve.P_521);

    private JwkVerifiers() {
    }

    /**
     * The verifier, or nothing when the key cannot make {@code alg} signatures (an RSA key for ES256, a P-384 key
     * for ES256, an unlisted algorithm).
     *
     * @param provider the provider to verify with, or {@code null} for the JDK's
     */
    public static Optional<JWSVerifier> of(JWK key, JWSAlgorithm alg, Provider provider)
            throws JOSEException, GeneralSecurityException {
        if (!ASYMMETRIC.contains(alg)) return Optional.empty();
        String family = alg.getName().substring(0, 2);
        if (key instanceof RSAKey rsa && (family.equals("RS") || family.equals("PS"))) {
            RSASSAVerifier verifier = new RSASSAVerifier(translate("RSA", rsa.toRSAPublicKey(), provider));
            verifier.getJCAContext().setProvider(provider);
            return Optional.of(verifier);
        }
        if (key instanceof ECKey ec && ec.getCurve().equals(EC_CURVES.get(alg))) {
            ECDSAVerifier verifier = new ECDSAVerifier(translate("EC", ec.toECPublicKey(), provider));
            verifier.getJCAContext().setProvider(provider);
            return Optional.of(verifier);
        }
        if (key instanceof OctetKeyPair okp && alg.equals(JWSAlgorithm.EdDSA) && Curve.Ed25519.equals(okp.getCurve())) {
            return Optional.of(Ed25519Jca.verifier(okp, provider));
        }
        return Optional.empty();
    }

    /** The key as the provider's own object, or itself for the JDK's providers. */
    @SuppressWarnings("unchecked")
    public static <K extends java.security.Key> K translate(String algorithm, K key, Provider provider)
            throws GeneralSecurityException {
        return provider == null ? key : (K) KeyFactory.getInstance(algorithm, provider).translateKey(key);
    }
}
