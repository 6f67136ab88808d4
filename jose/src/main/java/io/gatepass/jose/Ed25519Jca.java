package io.gatepass.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * EdDSA with Ed25519 (RFC 8037) through the JDK's own provider. Nimbus's Ed25519 signer and key generator are
 * built on Tink; the JDK has had Ed25519 since 15, so keys are made and used through JCA and only the JWK
 * representation comes from Nimbus.
 */
public final class Ed25519Jca {
    /** DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS#8 v1 private key (RFC 8410 §4, §7). */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final int KEY_BYTES = 32;

    private Ed25519Jca() {
    }

    public static OctetKeyPair generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] x = raw(pair.getPublic().getEncoded(), SPKI_PREFIX);
            byte[] d = raw(pair.getPrivate().getEncoded(), PKCS8_PREFIX);
            OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d))
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build();
            return new OctetKeyPair.Builder(key).keyID(key.computeThumbprint().toString()).build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("this JVM cannot generate Ed25519 keys", e);
        }
    }

    private static byte[] raw(byte[] encoded, byte[] prefix) {
        if (encoded.length != prefix.length + KEY_BYTES || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalStateException("unexpected Ed25519 key encoding");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    private static byte[] der(byte[] prefix, byte[] raw) {
        byte[] der = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        return der;
    }

    /** @param provider the provider for key objects and signatures, or {@code null} for the JDK's */
    public static JWSSigner signer(OctetKeyPair key, Provider provider) throws GeneralSecurityException {
        PrivateKey privateKey = keyFactory(provider)
                .generatePrivate(new PKCS8EncodedKeySpec(der(PKCS8_PREFIX, key.getDecodedD())));
        signature(provider); // fails here, not on the first token, when the provider lacks Ed25519
        return new Signer(privateKey, provider);
    }

    public static JWSVerifier verifier(OctetKeyPair key, Provider provider) throws GeneralSecurityException {
        PublicKey publicKey = keyFactory(provider)
                .generatePublic(new X509EncodedKeySpec(der(SPKI_PREFIX, key.getDecodedX())));
        return new Verifier(publicKey, provider);
    }

    /** The provider's own key objects where it has a key factory (ACCP signs Ed25519 but parses no Ed25519 keys). */
    private static KeyFactory keyFactory(Provider provider) throws GeneralSecurityException {
        if (provider != null && provider.getService("KeyFactory", "Ed25519") != null) {
            return KeyFactory.getInstance("Ed25519", provider);
        }
        return KeyFactory.getInstance("Ed25519");
    }

    private static Signature signature(Provider provider) throws GeneralSecurityException {
        return provider == null ? Signature.getInstance("Ed25519") : Signature.getInstance("Ed25519", provider);
    }

    private static final class Signer implements JWSSigner {
        private final PrivateKey key;
        private final Provider provider;
        private final JCAContext context = new JCAContext();

        Signer(PrivateKey key, Provider provider) {
            this.key = key;
            this.provider = provider;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) throw new JOSEException("this key signs EdDSA only");
            try {
                Signature signature = signature(provider);
                signature.initSign(key);
                signature.update(signingInput);
                return Base64URL.encode(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 signing failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }

    private static final class Verifier implements JWSVerifier {
        private final PublicKey key;
        private final Provider provider;
        private final JCAContext context = new JCAContext();

        Verifier(PublicKey key, Provider provider) {
            this.key = key;
            this.provider = provider;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) throws JOSEException {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) return false;
            try {
                Signature verifier = signature(provider);
                verifier.initVerify(key);
                verifier.update(signedContent);
                return verifier.verify(signature.decode());
            } catch (GeneralSecurityException e) {
                return false; // a malformed signature is a bad signature
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
