package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-API signing algorithms, each token checked by a standard verifier against the published JWKS. */
class SigningAlgorithmsTest extends SharedServer {
    private static String apiWithAlg(String alg, App app) {
        String identifier = TestServer.uniqueIdentifier();
        Response created = gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"" + identifier
                + "\",\"name\":\"n\",\"scopes\":[\"read\"],\"signing_alg\":\"" + alg + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("signing_alg").asText()).isEqualTo(alg);
        gatepass.grant(app.clientId(), created.json().get("id").asText(), "read");
        return identifier;
    }

    /** Verifies with the JWKS only, the way a resource server does: Nimbus for RSA and EC, the JDK for Ed25519. */
    static boolean verifiesWithJwks(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = JWKSet.parse(gatepass.get("/.well-known/jwks.json").body()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.getAlgorithm()).isEqualTo(jwt.getHeader().getAlgorithm());
        if (key instanceof OctetKeyPair okp) {
            byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
            byte[] der = java.util.Arrays.copyOf(spki, 44);
            System.arraycopy(okp.getDecodedX(), 0, der, 12, 32);
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(jwt.getSigningInput());
            return verifier.verify(jwt.getSignature().decode());
        }
        JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
        return jwt.verify(verifier);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void tokenWhenApiChoosesAlgorithmThenSignedWithItAndVerifiableWithTheJwks(String alg) throws Exception {
        App app = gatepass.createApp("alg " + alg, null);
        String identifier = apiWithAlg(alg, app);

        String token = gatepass.token(app.clientId(), app.secret(), identifier, null);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.parse(alg));
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(verifiesWithJwks(token)).isTrue();
        assertThat(gatepass.introspect(app, token).json().get("active").asBoolean()).isTrue();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(gatepass.introspect(app, tampered).json().get("active").asBoolean()).isFalse();
    }

    @Test
    void apiWhenAlgorithmChangedThenNewTokensUseItAndOldOnesStillVerify() throws Exception {
        App app = gatepass.createApp("switching", null);
        String identifier = apiWithAlg("RS256", app);
        String before = gatepass.token(app.clientId(), app.secret(), identifier, null);
        String apiId = gatepass.admin("GET", "/admin/apis?identifier=" + identifier, null).json().get(0).get("id").asText();

        assertThat(gatepass.admin("PATCH", "/admin/apis/" + apiId, "{\"signing_alg\":\"ES256\"}").status()).isEqualTo(200);

        String after = gatepass.token(app.clientId(), app.secret(), identifier, null);
        assertThat(SignedJWT.parse(after).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(verifiesWithJwks(before)).isTrue();
        assertThat(verifiesWithJwks(after)).isTrue();
    }

    @Test
    void apiWhenAlgorithmNotOfferedThenBadField() {
        for (String alg : new String[] {"none", "HS256", "RS512", "es256"}) {
            Response response = gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"" + TestServer.uniqueIdentifier()
                    + "\",\"name\":\"n\",\"signing_alg\":\"" + alg + "\"}");
            assertThat(response.assertProblem(400)).contains("must be one of");
            assertThat(response.json().get("field").asText()).isEqualTo("signing_alg");
        }
    }

    @Test
    void apiWhenNoAlgorithmNamedThenTheServerDefault(@TempDir Path otherDir) throws Exception {
        io.gatepass.server.config.ServerConfig config = TestServer.config(otherDir)
                .toBuilder().keyPolicy(new io.gatepass.server.keys.KeyPolicy(java.time.Duration.ofHours(1),
                        java.time.Duration.ofDays(90), "ES256")).build();
        try (GatepassServer server = GatepassServer.start(config)) {
            TestServer other = TestServer.wrap(otherDir, server);
            TestServer.GrantedApp granted = other.grantedApp(java.util.List.of("read"), "read");
            String token = other.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
            assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(SignedJWT.parse(other.adminToken()).getHeader().getAlgorithm())
                    .as("the management API keeps RS256").isEqualTo(JWSAlgorithm.RS256);
        }
    }

    @Test
    void healthWhenReadyThenNamesTheCryptoProvider() {
        Response ready = gatepass.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        String provider = ready.json().get("details").get("crypto_provider").asText();
        assertThat(provider).isNotBlank();
        boolean accpOnClassPath;
        try {
            Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
            accpOnClassPath = true;
        } catch (ClassNotFoundException e) {
            accpOnClassPath = false;
        }
        if (accpOnClassPath) assertThat(provider).startsWith("AmazonCorrettoCryptoProvider");
    }

    @Test
    void metadataWhenFetchedThenListsEveryAlgorithm() {
        assertThat(gatepass.get("/.well-known/oauth-authorization-server").json()
                .get("access_token_signing_alg_values_supported").toString())
                .contains("RS256", "PS256", "ES256", "EdDSA");
    }
}
