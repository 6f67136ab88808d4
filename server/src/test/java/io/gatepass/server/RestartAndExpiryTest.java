package io.gatepass.server;

import io.gatepass.server.testing.MutableClock;

import static io.gatepass.server.TestServer.basic;
import static io.gatepass.server.TestServer.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartAndExpiryTest {
    @TempDir
    Path dataDir;

    @Test
    void restartWhenSameDataDirThenAppsApisKeysAndIssuedTokensSurvive() throws Exception {
        String identifier = "https://survivor.example.com";
        App app;
        String apiId;
        String tokenBefore;
        String jwksBefore;
        try (TestServer first = TestServer.start(dataDir)) {
            apiId = first.createApi(identifier, "a", "b");
            app = first.createApp("survivor", null);
            first.grant(app.clientId(), apiId, "a");
            first.admin("PATCH", "/admin/clients/" + app.clientId(), "{\"client_name\":\"renamed\"}");
            tokenBefore = first.token(app.clientId(), app.secret(), identifier, null);
            jwksBefore = first.get("/.well-known/jwks.json").body();
        }

        try (TestServer second = TestServer.start(dataDir)) {
            assertThat(second.server.bootstrap()).as("not a first start").isEmpty();
            assertThat(second.get("/.well-known/jwks.json").body()).isEqualTo(jwksBefore);
            SignedJWT old = SignedJWT.parse(tokenBefore);
            RSAKey key = (RSAKey) JWKSet.parse(jwksBefore).getKeyByKeyId(old.getHeader().getKeyID());
            assertThat(old.verify(new RSASSAVerifier(key))).isTrue();

            Response client = second.admin("GET", "/admin/clients/" + app.clientId(), null);
            assertThat(client.json().get("client_name").asText()).isEqualTo("renamed");
            assertThat(second.admin("GET", "/admin/apis/" + apiId, null).json().get("identifier").asText()).isEqualTo(identifier);
            String tokenAfter = second.token(app.clientId(), app.secret(), identifier, null);
            assertThat(SignedJWT.parse(tokenAfter).getHeader().getKeyID()).isEqualTo(old.getHeader().getKeyID());
            assertThat(SignedJWT.parse(tokenAfter).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("a");
        }
    }

    @Test
    void adminWhenTokenExpiredThen401AndFreshTokenWorks() {
        MutableClock clock = new MutableClock();
        ServerConfig config = TestServer.config(dataDir);
        try (GatepassServer server = GatepassServer.start(config, clock)) {
            TestServer gatepass = TestServer.wrap(dataDir, server);
            String token = gatepass.adminToken();
            assertThat(gatepass.adminAs(token, "GET", "/admin/apis", null).status()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(3600 + 60)); // past exp and the 5 s clock skew

            assertThat(gatepass.adminAs(token, "GET", "/admin/apis", null).assertProblem(401)).contains("expired");
            Response fresh = gatepass.tokenForm(params("grant_type", "client_credentials", "audience", "urn:gatepass:admin"),
                    "Authorization", basic(TestServer.ADMIN_ID, TestServer.ADMIN_SECRET));
            String freshToken = fresh.json().get("access_token").asText();
            assertThat(gatepass.adminAs(freshToken, "GET", "/admin/apis", null).status()).isEqualTo(200);
        }
    }
}
