package io.gatepass.server;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

/** Client keys and client assertions (RFC 7523) the way an app makes them, for the private_key_jwt tests. */
final class Assertions {
    private Assertions() {
    }

    /** A private key of the app with its public JWK. Ed25519 keys sign through the JDK. */
    record AppKey(JWK jwk, JWSAlgorithm alg, KeyPair ed25519) {
        JWK publicJwk() {
            return jwk.toPublicJWK();
        }

        String kid() {
            return jwk.getKeyID();
        }
    }

    static AppKey generate(String alg, String kid) throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        return switch (alg) {
            case "RS256", "PS256" -> new AppKey(new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate(), algorithm, null);
            case "ES256" -> new AppKey(new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate(), algorithm, null);
            case "EdDSA" -> {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                yield new AppKey(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build(), algorithm, pair);
            }
            default -> throw new IllegalArgumentException(alg);
        };
    }

    static JWTClaimsSet.Builder claims(String clientId, String audience, Instant now) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString());
    }

    static String sign(AppKey key, JWTClaimsSet claims) throws Exception {
        return sign(key, new JWSHeader.Builder(key.alg()).keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims);
    }

    static String sign(AppKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        if (key.ed25519() != null) {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key.ed25519().getPrivate());
            signature.update(jwt.getSigningInput());
            Base64URL sig = Base64URL.encode(signature.sign());
            return jwt.getHeader().toBase64URL() + "." + jwt.getPayload().toBase64URL() + "." + sig;
        }
        if (key.jwk() instanceof RSAKey rsa) jwt.sign(new RSASSASigner(rsa));
        else jwt.sign(new ECDSASigner((ECKey) key.jwk()));
        return jwt.serialize();
    }

    static String hs256(String secret, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
