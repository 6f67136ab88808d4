package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Introspection (RFC 7662), revocation (RFC 7009), the revocation feed, and their audit records. */
class RevocationTest extends SharedServer {
    private static String tokenFor(GrantedApp granted) {
        return gatepass.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
    }

    private static boolean active(App caller, String token) {
        Response response = gatepass.introspect(caller, token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        return response.json().get("active").asBoolean();
    }

    @Test
    void introspectWhenTokenFreshThenActiveWithItsClaims() throws Exception {
        GrantedApp granted = gatepass.grantedApp(List.of("read", "write"), "read", "write");
        String token = tokenFor(granted);

        JsonNode body = gatepass.introspect(granted.app(), token).json();

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("scope").asText()).isEqualTo("read write");
        assertThat(body.get("client_id").asText()).isEqualTo(granted.app().clientId());
        assertThat(body.get("sub").asText()).isEqualTo(granted.app().clientId());
        assertThat(body.get("aud").asText()).isEqualTo(granted.identifier());
        assertThat(body.get("iss").asText()).isEqualTo(gatepass.issuer());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("jti").asText()).isEqualTo(claims.getJWTID());
        assertThat(body.get("exp").asLong()).isEqualTo(claims.getExpirationTime().getTime() / 1000);
        assertThat(body.get("iat").asLong()).isEqualTo(claims.getIssueTime().getTime() / 1000);
        assertThat(body.get("nbf").asLong()).isEqualTo(claims.getNotBeforeTime().getTime() / 1000);
    }

    @Test
    void introspectWhenAppBlockedThenInactiveAndStillInactiveAfterUnblock() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String token = tokenFor(granted);
        assertThat(active(TestServer.ADMIN, token)).isTrue();

        patchStatus(granted.app(), "blocked");
        assertThat(active(TestServer.ADMIN, token)).isFalse();

        patchStatus(granted.app(), "active");
        assertThat(active(TestServer.ADMIN, token)).as("blocking voided the tokens issued before it").isFalse();
        String fresh = tokenFor(granted);
        assertThat(active(granted.app(), fresh)).as("a token issued after unblocking, even in the same second").isTrue();
        assertAudited("client.blocked", granted.app().clientId());
        assertAudited("client.unblocked", granted.app().clientId());
    }

    private static void patchStatus(App app, String status) {
        Response response = gatepass.admin("PATCH", "/admin/clients/" + app.clientId(), "{\"status\":\"" + status + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void introspectWhenAppRevokedItsTokenThenInactiveAndOtherTokensStayActive() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String revoked = tokenFor(granted);
        String kept = tokenFor(granted);

        Response response = gatepass.revoke(granted.app(), revoked);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(active(granted.app(), revoked)).isFalse();
        assertThat(active(granted.app(), kept)).isTrue();
        assertThat(gatepass.revoke(granted.app(), revoked).status()).as("revoking twice is fine").isEqualTo(200);
        assertAudited("token.revoked", granted.app().clientId());
    }

    @Test
    void revokeWhenTokenOfAnotherAppThen200AndTokenStaysActive() {
        GrantedApp owner = gatepass.grantedApp(List.of("read"), "read");
        GrantedApp other = gatepass.grantedApp(List.of("read"), "read");
        String token = tokenFor(owner);

        assertThat(gatepass.revoke(other.app(), token).status()).isEqualTo(200);
        assertThat(gatepass.revoke(other.app(), "not-a-token").status()).as("RFC 7009 §2.2: invalid token").isEqualTo(200);

        assertThat(active(owner.app(), token)).isTrue();
    }

    @Test
    void introspectWhenAdminVoidedAppTokensThenInactiveAndNewTokensActive() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String before = tokenFor(granted);

        Response response = gatepass.admin("POST", "/admin/clients/" + granted.app().clientId() + "/revoke-tokens", null);

        assertThat(response.status()).as(response.body()).isEqualTo(204);
        assertThat(active(granted.app(), before)).isFalse();
        assertThat(active(granted.app(), tokenFor(granted))).isTrue();
        assertAudited("client.tokens_revoked", granted.app().clientId());
    }

    @Test
    void introspectWhenAppDeletedThenInactive() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String token = tokenFor(granted);

        assertThat(gatepass.admin("DELETE", "/admin/clients/" + granted.app().clientId(), null).status()).isEqualTo(204);

        assertThat(active(TestServer.ADMIN, token)).isFalse();
        assertAudited("client.deleted", granted.app().clientId());
    }

    @Test
    void adminWhenOwnTokensVoidedThen401() {
        App admin2 = adminApp();
        String token = gatepass.token(admin2.clientId(), admin2.secret(), "urn:gatepass:admin", null);
        assertThat(gatepass.adminAs(token, "GET", "/admin/apis", null).status()).isEqualTo(200);

        gatepass.admin("POST", "/admin/clients/" + admin2.clientId() + "/revoke-tokens", null);

        assertThat(gatepass.adminAs(token, "GET", "/admin/apis", null).assertProblem(401)).contains("revoked");
    }

    private static App adminApp() {
        App app = gatepass.createApp("second admin", null);
        String adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        gatepass.grant(app.clientId(), adminApiId, "apis:read", "clients:read");
        return app;
    }

    @Test
    void introspectWhenCallerHasNoClaimOnTheTokenThenInactive() {
        GrantedApp owner = gatepass.grantedApp(List.of("read"), "read");
        String token = tokenFor(owner);
        App stranger = gatepass.createApp("stranger", null);
        App sameApi = gatepass.createApp("same api", null);
        gatepass.grant(sameApi.clientId(), owner.apiId(), "read");

        assertThat(gatepass.introspect(stranger, token).json().toString()).isEqualTo("{\"active\":false}");
        assertThat(active(sameApi, token)).as("an app granted on the token's API (a resource server)").isTrue();
        assertThat(active(adminApp(), token)).as("an app with clients:read on the management API").isTrue();
    }

    @Test
    void introspectWhenTokenMalformedForeignUnsignedOrWrongTypeThenInactive() throws Exception {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String real = tokenFor(granted);
        JWTClaimsSet claims = SignedJWT.parse(real).getJWTClaimsSet();
        String kid = SignedJWT.parse(real).getHeader().getKeyID();
        RSAKey foreignKey = new RSAKeyGenerator(2048).keyID(kid).generate();
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        foreign.sign(new RSASSASigner(foreignKey));
        String unsigned = new PlainJWT(claims).serialize();
        String[] parts = real.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        for (String token : List.of("garbage", "a.b.c", foreign.serialize(), unsigned, tampered, real + "x")) {
            assertThat(active(granted.app(), token)).as(token).isFalse();
        }
        assertThat(active(granted.app(), real)).isTrue();
    }

    @Test
    void introspectWhenTokenMissingOrCallerUnauthenticatedThenOAuthErrors() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");

        gatepass.send("POST", "/oauth/introspect", "application/x-www-form-urlencoded", "token_type_hint=access_token",
                "Authorization", TestServer.basic(granted.app().clientId(), granted.app().secret()))
                .assertOAuthError(400, "invalid_request");
        gatepass.introspect(new App(granted.app().clientId(), "wrong"), tokenFor(granted)).assertOAuthError(401, "invalid_client");
        gatepass.send("POST", "/oauth/introspect", "application/x-www-form-urlencoded", "token=x", new String[0])
                .assertOAuthError(401, "invalid_client");
        gatepass.revoke(new App("nobody", "nothing"), "x").assertOAuthError(401, "invalid_client");
        assertThat(gatepass.get("/oauth/introspect").status()).isEqualTo(405);
    }

    @Test
    void feedWhenPolledWithCursorThenReturnsOnlyNewEntriesAndUnchangedIs304() {
        JsonNode start = gatepass.get("/oauth/revocations").json();
        String cursor = start.get("cursor").asText();
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String token = tokenFor(granted);
        String jti = jti(token);

        gatepass.revoke(granted.app(), token);
        gatepass.admin("PATCH", "/admin/clients/" + granted.app().clientId(), "{\"status\":\"blocked\"}");

        Response page = gatepass.get("/oauth/revocations?since=" + cursor);
        assertThat(page.status()).isEqualTo(200);
        JsonNode body = page.json();
        assertThat(body.get("tokens")).hasSize(1);
        assertThat(body.get("tokens").get(0).get("jti").asText()).isEqualTo(jti);
        assertThat(body.get("tokens").get(0).get("exp").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(body.get("clients")).hasSize(1);
        assertThat(body.get("clients").get(0).get("client_id").asText()).isEqualTo(granted.app().clientId());
        assertThat(body.get("clients").get(0).get("issued_before").asLong())
                .isGreaterThan(iat(token));
        assertThat(body.get("has_more").asBoolean()).isFalse();
        String next = body.get("cursor").asText();
        assertThat(Long.parseLong(next)).isGreaterThan(Long.parseLong(cursor));

        Response empty = gatepass.get("/oauth/revocations?since=" + next);
        assertThat(empty.json().get("tokens")).isEmpty();
        assertThat(empty.json().get("clients")).isEmpty();
        assertThat(empty.json().get("cursor").asText()).isEqualTo(next);
        String etag = empty.header("ETag");
        assertThat(etag).isNotBlank();
        Response unchanged = gatepass.get("/oauth/revocations?since=" + next, "If-None-Match", etag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();

        gatepass.admin("POST", "/admin/clients/" + granted.app().clientId() + "/revoke-tokens", null);
        Response changed = gatepass.get("/oauth/revocations?since=" + next, "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("clients")).hasSize(1);
    }

    @Test
    void feedWhenLimitSmallerThanNewEntriesThenPagesUntilHasMoreFalse() {
        String cursor = gatepass.get("/oauth/revocations").json().get("cursor").asText();
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        for (int i = 0; i < 3; i++) gatepass.revoke(granted.app(), tokenFor(granted));

        List<String> seen = new ArrayList<>();
        boolean more = true;
        while (more) {
            JsonNode page = gatepass.get("/oauth/revocations?limit=2&since=" + cursor).json();
            page.get("tokens").forEach(entry -> seen.add(entry.get("jti").asText()));
            more = page.get("has_more").asBoolean();
            cursor = page.get("cursor").asText();
        }
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void feedWhenCursorInvalidThenInvalidRequest() {
        gatepass.get("/oauth/revocations?since=abc").assertOAuthError(400, "invalid_request");
        gatepass.get("/oauth/revocations?since=-1").assertOAuthError(400, "invalid_request");
        gatepass.get("/oauth/revocations?limit=0").assertOAuthError(400, "invalid_request");
        gatepass.get("/oauth/revocations?since=1&since=2").assertOAuthError(400, "invalid_request");
    }

    @Test
    void metadataWhenFetchedThenNamesIntrospectionRevocationAndFeed() {
        JsonNode metadata = gatepass.get("/.well-known/oauth-authorization-server").json();
        assertThat(metadata.get("introspection_endpoint").asText()).isEqualTo(gatepass.issuer() + "/oauth/introspect");
        assertThat(metadata.get("revocation_endpoint").asText()).isEqualTo(gatepass.issuer() + "/oauth/revoke");
        assertThat(metadata.get("revocation_feed_endpoint").asText()).isEqualTo(gatepass.issuer() + "/oauth/revocations");
    }

    static String jti(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static long iat(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getIssueTime().getTime() / 1000;
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAudited(String type, String clientId) {
        JsonNode events = gatepass.admin("GET", "/admin/audit?type=" + type + "&client_id=" + clientId, null).json();
        assertThat(events).as(type + " for " + clientId).isNotEmpty();
        JsonNode event = events.get(0);
        assertThat(event.get("type").asText()).isEqualTo(type);
        String expectedActor = type.equals("token.revoked") ? clientId : TestServer.ADMIN_ID;
        assertThat(event.get("actor").asText()).isEqualTo(expectedActor);
    }

}
