package io.gatepass.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.jose.DpopProofs;
import io.gatepass.jose.Ed25519Jca;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * The key an app proves possession of with DPoP (RFC 9449): tokens issued to a request with its proof are bound to
 * it, and work only with a fresh proof by it for each request. Generated (P-256, ES256) or given; the private key
 * never leaves this object.
 */
public final class DpopKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");

    private final JWK publicKey;
    private final JWSAlgorithm alg;
    private final JWSSigner signer;
    private final String thumbprint;

    private DpopKey(JWK key, JWSAlgorithm alg) {
        if (!key.isPrivate()) throw new IllegalArgumentException("a DPoP key needs its private part to sign proofs");
        this.publicKey = key.toPublicJWK();
        this.alg = alg;
        try {
            if (key instanceof ECKey ec) {
                this.signer = new ECDSASigner(ec);
            } else if (key instanceof RSAKey rsa) {
                this.signer = new RSASSASigner(rsa);
            } else if (key instanceof OctetKeyPair okp) {
                this.signer = Ed25519Jca.signer(okp, null); // through the JDK: Nimbus's Ed25519 signer needs Tink
            } else {
                throw new IllegalArgumentException("a DPoP key is an EC, RSA or Ed25519 key");
            }
            this.thumbprint = publicKey.computeThumbprint().toString();
        } catch (JOSEException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the key cannot sign " + alg + ": " + e.getMessage(), e);
        }
    }

    /** A new P-256 key, signing ES256: what a service without a key of its own wants. */
    public static DpopKey generate() {
        try {
            return new DpopKey(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    /** A key of the app's own (for example one kept in a file), with the algorithm it signs with. */
    public static DpopKey of(JWK privateKey, JWSAlgorithm alg) {
        return new DpopKey(Objects.requireNonNull(privateKey, "privateKey"), Objects.requireNonNull(alg, "alg"));
    }

    /** RFC 7638 thumbprint: the {@code cnf.jkt} of the tokens bound to this key. */
    public String thumbprint() {
        return thumbprint;
    }

    public JWK publicKey() {
        return publicKey;
    }

    /**
     * A proof for one request (RFC 9449 §4.2).
     *
     * @param accessToken the token the request carries ({@code ath}), or {@code null} at the token endpoint
     * @param nonce       the server's latest {@code DPoP-Nonce}, or {@code null}
     */
    public String proof(String method, URI url, String accessToken, String nonce, Instant now) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(Base64URL.encode(id).toString())
                .claim("htm", method).claim("htu", withoutQuery(url)).issueTime(Date.from(now));
        if (accessToken != null) claims.claim("ath", DpopProofs.ath(accessToken));
        if (nonce != null) claims.claim("nonce", nonce);
        SignedJWT proof = new SignedJWT(new JWSHeader.Builder(alg).type(TYPE).jwk(publicKey).build(), claims.build());
        try {
            proof.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a DPoP proof: " + e.getMessage(), e);
        }
        return proof.serialize();
    }

    /** RFC 9449 §4.2: {@code htu} is the URL without query and fragment. */
    private static String withoutQuery(URI url) {
        String text = url.toString();
        int cut = text.length();
        int query = text.indexOf('?');
        int fragment = text.indexOf('#');
        if (query >= 0) cut = Math.min(cut, query);
        if (fragment >= 0) cut = Math.min(cut, fragment);
        return text.substring(0, cut);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "DpopKey[" + alg + ", jkt=" + thumbprint + "]";
    }
}
