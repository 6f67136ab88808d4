package io.gatepass.server.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.codec.Text;
import io.gatepass.jose.JwkVerifiers;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An app's own public keys for {@code private_key_jwt}: what the management API accepts, and the verifier for a
 * key and algorithm.
 */
public final class ClientKeys {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientKeys.class);
    public static final int MAX_KEYS = 10;
    public static final int MAX_JWKS_URI_LENGTH = OutboundFetcher.MAX_URL_LENGTH;
    private static final int MIN_RSA_BITS = 2048;
    /** Verifying with a larger key costs more than any app needs; 16384 bits is the most any library makes. */
    private static final int MAX_RSA_BITS = 16_384;
    /** OIDC Core §9 and RFC 7518: the asymmetric algorithms; never {@code none} or HMAC. */
    public static final List<JWSAlgorithm> ALGORITHMS = JwkVerifiers.ASYMMETRIC;
    private static final Map<JWSAlgorithm, Curve> EC_CURVES =
            Map.of(JWSAlgorithm.ES256, Curve.P_256, JWSAlgorithm.ES384, Curve.P_384, JWSAlgorithm.ES512, Curve.P_521);

    private ClientKeys() {
    }

    /**
     * Parses an app's JWK Set and checks it: 1 to {@value #MAX_KEYS} public signing keys (RSA ≥ 2048 bits, EC
     * P-256/384/521, Ed25519), each with a distinct {@code kid} when there are several.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static JWKSet parsePublicSet(String json) {
        return parsePublicSet(json, MAX_KEYS);
    }

    /** The same, with another most number of keys. */
    public static JWKSet parsePublicSet(String json, int maxKeys) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("is not a JWK Set: " + e.getMessage());
        }
        List<JWK> keys = set.getKeys();
        if (keys.isEmpty() || keys.size() > maxKeys) throw new IllegalArgumentException("must hold 1 to " + maxKeys + " keys");
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            JWK key = keys.get(i);
            String where = "key " + i + ": ";
            try {
                checkKey(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (keys.size() > 1 && (key.getKeyID() == null || !kids.add(key.getKeyID()))) {
                throw new IllegalArgumentException(where + "needs a \"kid\" unlike the others' when the set has several keys");
            }
        }
        return set;
    }

    /**
     * The keys of a set fetched from an app's {@code jwks_uri} that pass the checks a registered set must pass,
     * at most {@code max}; the others are left out, with the reason in the log.
     */
    public static List<JWK> usable(JWKSet set, int max, String owner) {
        List<JWK> usable = new java.util.ArrayList<>();
        for (JWK key : set.getKeys()) {
            if (usable.size() == max) break;
            try {
                checkKey(key);
                usable.add(key);
            } catch (IllegalArgumentException e) {
                LOG.warn("keys of {}: key {} left out: {}", owner, Text.printable(String.valueOf(key.getKeyID())),
                        e.getMessage());
            }
        }
        return usable;
    }

    /** A public signing key of a kind, size and algorithm this server verifies with. */
    private static void checkKey(JWK key) {
        if (key.isPrivate()) throw new IllegalArgumentException("holds private key material; register public keys only");
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException("\"use\" must be \"sig\"");
        }
        if (key.getAlgorithm() != null && !ALGORITHMS.contains(JWSAlgorithm.parse(key.getAlgorithm().getName()))) {
            throw new IllegalArgumentException("\"alg\" must be one of " + ALGORITHMS);
        }
        switch (key) {
            case RSAKey rsa -> checkRsa(rsa);
            case ECKey ec when !EC_CURVES.containsValue(ec.getCurve()) ->
                    throw new IllegalArgumentException("EC keys must be on P-256, P-384 or P-521");
            case ECKey ec -> { }
            case OctetKeyPair okp when !Curve.Ed25519.equals(okp.getCurve()) ->
                    throw new IllegalArgumentException("OKP keys must be Ed25519");
            case OctetKeyPair okp -> { }
            default -> throw new IllegalArgumentException("must be an RSA, EC or Ed25519 key");
        }
    }

    /**
     * A sound RSA public key (as NIST SP 800-89 §5.3.3 checks one without its factors): an odd modulus of 2048 to
     * 16384 bits in its minimal encoding (RFC 7518 §6.3.1.1) with no small prime factor, and an odd exponent from 3
     * to below 2^256 (SP 800-56B).
     */
    private static void checkRsa(RSAKey rsa) {
        BigInteger n = rsa.getModulus().decodeToBigInteger();
        BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
        if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits");
        }
        if (rsa.getModulus().decode().length != (n.bitLength() + 7) / 8) {
            throw new IllegalArgumentException("\"n\" must be encoded without leading zero bytes (RFC 7518 §6.3.1.1)");
        }
        if (!n.testBit(0) || !n.gcd(SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("\"n\" is not an RSA modulus (it is even or has a small factor)");
        }
        if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > 256) {
            throw new IllegalArgumentException("\"e\" must be odd, at least 3 and below 2^256 (65537 is usual)");
        }
    }

    /** The product of the primes below 10,000: a modulus sharing none of them has no small factor. */
    private static final BigInteger SMALL_PRIMES_PRODUCT = smallPrimesProduct(10_000);

    private static BigInteger smallPrimesProduct(int bound) {
        // a sieve of Eratosthenes: a primality test per number took a tenth of a second of every start
        boolean[] composite = new boolean[bound];
        BigInteger product = BigInteger.ONE;
        for (int i = 2; i < bound; i++) {
            if (composite[i]) continue;
            product = product.multiply(BigInteger.valueOf(i));
            for (long multiple = (long) i * i; multiple < bound; multiple += i) composite[(int) multiple] = true;
        }
        return product;
    }

    /**
     * A verifier for signatures by {@code key} with {@code alg}, if the key can make such signatures; through
     * {@code provider} (key objects of its own) when it handles the key, else the JDK's.
     */
    public static Optional<JWSVerifier> verifier(JWK key, JWSAlgorithm alg, Provider provider) {
        if (provider != null) {
            try {
                Optional<JWSVerifier> fast = build(key, alg, provider);
                if (fast.isPresent()) return fast;
            } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
                // this provider cannot take the key: the JDK's can
            }
        }
        try {
            return build(key, alg, null);
        } catch (JOSEException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<JWSVerifier> build(JWK key, JWSAlgorithm alg, Provider provider)
            throws JOSEException, GeneralSecurityException {
        if (!ALGORITHMS.contains(alg)) return Optional.empty();
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) return Optional.empty();
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) return Optional.empty();
        return JwkVerifiers.of(key, alg, provider);
    }

}
