package io.gatepass.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.domain.SigningKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens signed through the native provider verify with the JDK's, and the reverse, for every algorithm. */
class CrossProviderTest {
    private static final KeyEncryption ENCRYPTION = encryption();

    private static KeyEncryption encryption() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new KeyEncryption(new SecretKeySpec(key, "AES"));
    }

    private static Provider nativeProvider() {
        Provider provider = CryptoProviders.detect().preferred();
        // on a platform without an ACCP build there is nothing to cross-check; CI (linux-x86_64) always has one
        assumeTrue(provider != null, "no native crypto provider on this platform");
        return provider;
    }

    private static String sign(SigningKeys.Loaded key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.alg()).type(new JOSEObjectType("at+jwt"))
                .keyID(key.stored().kid()).build(), new JWTClaimsSet.Builder().subject("cross").jwtID("j").build());
        jwt.sign(key.signer());
        return jwt.serialize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void signWhenOneProviderThenTheOtherVerifies(String alg) throws Exception {
        Provider accp = nativeProvider();
        // made by the native provider, as the server makes its keys: the JDK's signer and verifier take it too
        SigningKey stored = SigningKeys.generate(alg, Instant.now(), Instant.now(), ENCRYPTION, accp);
        JWK jwk = JWK.parse(ENCRYPTION.decrypt(stored.kid(), stored.alg(), stored.privateJwk()));
        SigningKeys.Loaded withNative = SigningKeys.load(stored, jwk, accp);
        SigningKeys.Loaded withJdk = SigningKeys.load(stored, jwk, null);
        assertThat(withNative.provider()).isEqualTo(accp.getName());
        assertThat(withNative.alg()).isEqualTo(JWSAlgorithm.parse(alg));

        assertThat(SignedJWT.parse(sign(withNative)).verify(withJdk.verifier())).as("native → JDK").isTrue();
        assertThat(SignedJWT.parse(sign(withJdk)).verify(withNative.verifier())).as("JDK → native").isTrue();
        String[] parts = sign(withNative).split("\\.");
        String otherClaims = com.nimbusds.jose.util.Base64URL.encode("{\"sub\":\"someone else\",\"jti\":\"j\"}").toString();
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];
        assertThat(SignedJWT.parse(tampered).verify(withJdk.verifier())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void loadWhenNativeProviderPresentThenItSignsEveryAlgorithm(String alg) {
        Provider accp = nativeProvider();
        // made by the JDK's providers (as on a platform without the native one): the native provider takes it
        SigningKey stored = SigningKeys.generate(alg, Instant.now(), Instant.now(), ENCRYPTION, null);
        assertThat(SigningKeys.load(stored, ENCRYPTION, CryptoProviders.detect()).provider()).isEqualTo(accp.getName());
    }
}
