package io.gatepass.server;

import io.gatepass.server.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.keys.KeyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation with pre-publication, retirement and removal, driven by a controllable clock. */
class KeyRotationTest {
    @TempDir
    Path dataDir;

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static List<String> jwksKids(TestServer gatepass) throws Exception {
        Response response = gatepass.get("/.well-known/jwks.json");
        List<String> kids = new ArrayList<>();
        for (JWK key : JWKSet.parse(response.body()).getKeys()) {
            assertThat(key.isPrivate()).isFalse();
            kids.add(key.getKeyID());
        }
        return kids;
    }

    private static boolean verifiesWithJwks(TestServer gatepass, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = JWKSet.parse(gatepass.get("/.well-known/jwks.json").body()).getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new RSASSAVerifier((RSAKey) key));
    }

    private static String token(TestServer gatepass, GrantedApp granted) {
        return gatepass.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
    }

    private static JsonNode keyStatus(TestServer gatepass, String kid) {
        for (JsonNode key : gatepass.admin("GET", "/admin/keys", null).json()) {
            if (key.get("kid").asText().equals(kid)) return key;
        }
        return null;
    }

    @Test
    void rotateWhenScheduledThenNextCurrentRetiredRemovedAndOldTokensKeepVerifying() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestServer gatepass = TestServer.start(dataDir, clock)) {
            GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
            String before = token(gatepass, granted);
            String oldKid = kid(before);

            Response rotated = gatepass.admin("POST", "/admin/keys/rotate", null);
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
            String newKid = rotated.json().get("kid").asText();
            assertThat(rotated.json().get("status").asText()).isEqualTo("next");
            assertThat(jwksKids(gatepass)).as("published before first use").containsExactlyInAnyOrder(oldKid, newKid);
            assertThat(kid(token(gatepass, granted))).as("still signing with the old key").isEqualTo(oldKid);

            clock.advance(Duration.ofMinutes(30));
            String late = token(gatepass, granted);
            assertThat(kid(late)).isEqualTo(oldKid);
            clock.advance(Duration.ofMinutes(30).plusSeconds(1)); // the default propagation delay has passed
            gatepass.forgetAdminToken();

            String after = token(gatepass, granted);
            assertThat(kid(after)).isEqualTo(newKid);
            assertThat(keyStatus(gatepass, oldKid).get("status").asText()).isEqualTo("retired");
            assertThat(keyStatus(gatepass, newKid).get("status").asText()).isEqualTo("current");
            assertThat(verifiesWithJwks(gatepass, before)).as("a token signed before the rotation").isTrue();
            assertThat(verifiesWithJwks(gatepass, after)).isTrue();
            assertThat(gatepass.introspect(granted.app(), late).json().get("active").asBoolean())
                    .as("a live token of the retired key").isTrue();

            clock.advance(Duration.ofDays(1).plusMinutes(2)); // every token the old key signed has expired
            gatepass.forgetAdminToken();

            assertThat(jwksKids(gatepass)).containsExactly(newKid);
            assertThat(keyStatus(gatepass, oldKid)).isNull();
            assertThat(gatepass.admin("GET", "/admin/audit?type=key.rotated", null).json().get(0).get("target").asText())
                    .isEqualTo(newKid);
        }
    }

    @Test
    void rotateWhenImmediateThenSignsAtOnce() throws Exception {
        try (TestServer gatepass = TestServer.start(dataDir)) {
            GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
            String before = token(gatepass, granted);

            Response rotated = gatepass.admin("POST", "/admin/keys/rotate", "{\"immediate\":true}");

            assertThat(rotated.json().get("status").asText()).isEqualTo("current");
            String after = token(gatepass, granted);
            assertThat(kid(after)).isEqualTo(rotated.json().get("kid").asText()).isNotEqualTo(kid(before));
            assertThat(verifiesWithJwks(gatepass, before)).isTrue();
        }
    }

    @Test
    void deleteWhenCurrentKeyCompromisedThenGoneFromJwksItsTokensInactiveAndANewKeySigns() throws Exception {
        try (TestServer gatepass = TestServer.start(dataDir)) {
            GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
            String signedByCompromised = token(gatepass, granted);
            String compromised = kid(signedByCompromised);
            String admin = gatepass.adminToken();

            assertThat(gatepass.admin("DELETE", "/admin/keys/" + compromised, null).status()).isEqualTo(204);

            assertThat(jwksKids(gatepass)).doesNotContain(compromised).hasSize(1);
            String fresh = gatepass.token(TestServer.ADMIN_ID, TestServer.ADMIN_SECRET, "urn:gatepass:admin", null);
            assertThat(kid(fresh)).isNotEqualTo(compromised);
            assertThat(gatepass.introspect(TestServer.ADMIN, signedByCompromised).json().get("active").asBoolean()).isFalse();
            assertThat(gatepass.adminAs(admin, "GET", "/admin/keys", null).assertProblem(401)).contains("not signed by this server");
            assertThat(gatepass.adminAs(fresh, "GET", "/admin/audit?type=key.deleted", null).json().get(0).get("target").asText())
                    .isEqualTo(compromised);
        }
    }

    @Test
    void keysWhenBadRequestsThenProblems() {
        try (TestServer gatepass = TestServer.start(dataDir)) {
            gatepass.admin("DELETE", "/admin/keys/unknown-kid", null).assertProblem(404);
            assertThat(gatepass.admin("POST", "/admin/keys/rotate", "{\"alg\":\"none\"}").assertProblem(400)).contains("alg");
            assertThat(gatepass.admin("POST", "/admin/keys/rotate", "{\"immediate\":\"yes\"}").assertProblem(400)).contains("immediate");
            assertThat(gatepass.admin("POST", "/admin/keys/rotate", "{\"later\":true}").assertProblem(400)).contains("later");
            TestServer.App reader = gatepass.createApp("keys reader", null);
            String adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
            gatepass.grant(reader.clientId(), adminApiId, "keys:read");
            String token = gatepass.token(reader.clientId(), reader.secret(), "urn:gatepass:admin", null);
            assertThat(gatepass.adminAs(token, "GET", "/admin/keys", null).status()).isEqualTo(200);
            assertThat(gatepass.adminAs(token, "POST", "/admin/keys/rotate", null).assertProblem(403)).contains("keys:write");
        }
    }

    @Test
    void startWhenCurrentKeyHasServedItsPeriodThenANextKeyIsPublishedOnItsOwn() {
        MutableClock clock = new MutableClock();
        ServerConfig config = TestServer.config(dataDir)
                .toBuilder().keyPolicy(new KeyPolicy(Duration.ofHours(1), Duration.ofDays(7))).build();
        try (GatepassServer server = GatepassServer.start(config, clock)) {
            assertThat(TestServer.wrap(dataDir, server).admin("GET", "/admin/keys", null).json()).hasSize(1);
        }
        clock.advance(Duration.ofDays(7));
        try (GatepassServer server = GatepassServer.start(config, clock)) {
            TestServer gatepass = TestServer.wrap(dataDir, server);
            JsonNode keys = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/keys", null).json(), k -> k.size() == 2);
            assertThat(keys).hasSize(2);
            assertThat(keys.findValuesAsText("status")).containsExactlyInAnyOrder("current", "next");
            assertThat(gatepass.admin("GET", "/admin/audit?type=key.rotated", null).json().get(0).get("actor").asText())
                    .isEqualTo("system");
        }
    }

    @Test
    void rotateWhenEs256ThenPublishedWithItsAlgorithm() throws Exception {
        try (TestServer gatepass = TestServer.start(dataDir)) {
            Response rotated = gatepass.admin("POST", "/admin/keys/rotate", "{\"alg\":\"ES256\",\"immediate\":true}");
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
            JWK key = JWKSet.parse(gatepass.get("/.well-known/jwks.json").body()).getKeyByKeyId(rotated.json().get("kid").asText());
            assertThat(key.getAlgorithm().getName()).isEqualTo("ES256");
            assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
        }
    }
}
