package io.gatepass.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/** EdDSA (Ed25519, RFC 8037) verification through the JDK: Nimbus's own Ed25519 verifier needs Tink. */
final class Ed25519Verifier implements JWSVerifier {
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PublicKey key;
    private final JCAContext context = new JCAContext();

    Ed25519Verifier(OctetKeyPair jwk) throws GeneralSecurityException {
        byte[] x = jwk.getDecodedX();
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + x.length);
        System.arraycopy(x, 0, der, SPKI_PREFIX.length, x.length);
        this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) return false;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedContent);
            return verifier.verify(signature.decode());
        } catch (GeneralSecurityException e) {
            return false;
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
