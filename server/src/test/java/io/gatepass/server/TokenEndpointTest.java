package io.gatepass.server;

import static io.gatepass.server.TestServer.basic;
import static io.gatepass.server.TestServer.params;
import static io.gatepass.server.TestServer.uniqueIdentifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEndpointTest extends SharedServer {
    /** The brief's scenario 2: define the API, create the app, grant it, get a token, check it against the JWKS. */
    @Test
    void tokenWhenScenarioTwoEndToEndThenRfc9068TokenVerifiesAgainstJwks() throws Exception {
        String identifier = uniqueIdentifier();
        String apiId = gatepass.createApi(identifier, "archive:read", "archive:write");
        App app = gatepass.createApp("archiver", "client_secret_post");
        gatepass.grant(app.clientId(), apiId, "archive:write");

        Instant before = Instant.now().minusSeconds(1);
        Response response = gatepass.send("POST", "/oauth/token", "application/json",
                "{\"audience\":\"" + identifier + "\",\"grant_type\":\"client_credentials\",\"client_id\":\"" + app.clientId()
                        + "\",\"client_secret\":\"" + app.secret() + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(response.json().get("expires_in").asInt()).isEqualTo(3600);
        assertThat(response.json().get("scope").asText()).isEqualTo("archive:write");

        SignedJWT jwt = SignedJWT.parse(response.json().get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        JWKSet jwks = JWKSet.parse(gatepass.get("/.well-known/jwks.json").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid in the JWKS").isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(gatepass.issuer());
        assertThat(claims.getSubject()).isEqualTo(app.clientId());
        assertThat(claims.getAudience()).containsExactly(identifier);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(app.clientId());
        assertThat(claims.getStringClaim("scope")).isEqualTo("archive:write");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime().toInstant()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(claims.getExpirationTime().toInstant())
                .isEqualTo(claims.getIssueTime().toInstant().plusSeconds(3600));
    }

    @Test
    void tokenWhenScopeOmittedThenAllGrantedScopes() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a", "b", "c"), "a", "c");
        String identifier = setup.identifier();
        App app = setup.app();

        Response response = gatepass.tokenRequest(app, "audience", identifier);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("scope").asText()).isEqualTo("a c");
    }

    @Test
    void tokenWhenScopeIsSubsetThenOnlyThoseScopes() throws Exception {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a", "b"), "a", "b");
        String identifier = setup.identifier();
        App app = setup.app();

        String token = gatepass.token(app.clientId(), app.secret(), identifier, "b");

        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("b");
    }

    @Test
    void tokenWhenResourceParameterThenSameAsAudience() throws Exception {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();

        Response response = gatepass.tokenRequest(app, "resource", identifier);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(response.json().get("access_token").asText()).getJWTClaimsSet().getAudience())
                .containsExactly(identifier);
    }

    @Test
    void tokenWhenNoAudienceAndOneGrantThenThatApi() throws Exception {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();

        Response response = gatepass.tokenRequest(app);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(response.json().get("access_token").asText()).getJWTClaimsSet().getAudience())
                .containsExactly(identifier);
    }

    @Test
    void tokenWhenAppHasLifetimeCapThenShorterExpiry() throws Exception {
        String identifier = uniqueIdentifier();
        Response api = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + identifier + "\",\"name\":\"n\",\"scopes\":[\"a\"],\"token_lifetime\":7200}");
        assertThat(api.status()).isEqualTo(201);
        Response created = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"capped\",\"token_lifetime\":600}");
        String clientId = created.json().get("client_id").asText();
        gatepass.grant(clientId, api.json().get("id").asText(), "a");

        Response response = gatepass.tokenForm(params("grant_type", "client_credentials", "audience", identifier),
                "Authorization", basic(clientId, created.json().get("client_secret").asText()));

        assertThat(response.json().get("expires_in").asInt()).isEqualTo(600);
        JWTClaimsSet claims = SignedJWT.parse(response.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        App app = gatepass.createApp("x", null);
        gatepass.tokenForm(params("audience", "x"), "Authorization", basic(app.clientId(), app.secret()))
                .assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
        App app = gatepass.createApp("x", null);
        Response response = gatepass.send("POST", "/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&grant_type=client_credentials", "Authorization", basic(app.clientId(), app.secret()));
        assertThat(response.assertOAuthError(400, "invalid_request")).contains("grant_type is repeated");
    }

    @Test
    void tokenWhenTwoAuthMethodsThenInvalidRequest() {
        App app = gatepass.createApp("x", null);
        gatepass.tokenForm(params("grant_type", "client_credentials", "client_id", app.clientId(), "client_secret", app.secret()),
                "Authorization", basic(app.clientId(), app.secret())).assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenWrongSecretByBasicThenInvalidClientWithChallenge() {
        App app = gatepass.createApp("x", null);
        Response response = gatepass.tokenForm(params("grant_type", "client_credentials"),
                "Authorization", basic(app.clientId(), app.secret() + "x"));
        response.assertOAuthError(401, "invalid_client");
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void tokenWhenWrongSecretByPostThenInvalidClientWithoutChallenge() {
        App app = gatepass.createApp("x", "client_secret_post");
        Response response = gatepass.tokenForm(params("grant_type", "client_credentials", "client_id", app.clientId(),
                "client_secret", "gps_wrong"));
        response.assertOAuthError(401, "invalid_client");
        assertThat(response.header("WWW-Authenticate")).isNull();
    }

    @Test
    void tokenWhenUnknownClientThenSameAnswerAsWrongSecret() {
        App app = gatepass.createApp("x", null);
        String unknown = gatepass.tokenForm(params("grant_type", "client_credentials"),
                "Authorization", basic("no-such-app", "gps_whatever")).assertOAuthError(401, "invalid_client");
        String wrong = gatepass.tokenForm(params("grant_type", "client_credentials"),
                "Authorization", basic(app.clientId(), "gps_whatever")).assertOAuthError(401, "invalid_client");
        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
        gatepass.tokenForm(params("grant_type", "client_credentials")).assertOAuthError(401, "invalid_client");
    }

    @Test
    void tokenWhenAppUsesOtherSecretTransportThanRegisteredThenTokenEitherWay() {
        // RFC 6749 §2.3.1: the Basic header and the body carry the same credential
        TestServer.GrantedApp basicApp = gatepass.grantedApp(List.of("a"), "a");
        gatepass.tokenForm(params("grant_type", "client_credentials", "client_id", basicApp.app().clientId(),
                "client_secret", basicApp.app().secret())).json().get("access_token").asText();
        String identifier = TestServer.uniqueIdentifier();
        String apiId = gatepass.createApi(identifier, "a");
        App postApp = gatepass.createApp("post", "client_secret_post");
        gatepass.grant(postApp.clientId(), apiId, "a");
        Response response = gatepass.tokenRequest(postApp);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenBasicCredentialsFormEncodedThenDecodedPerRfc6749() {
        // a secret never needs encoding, but RFC 6749 §2.3.1 encoding of an encoded-safe value must round-trip
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        String pair = app.clientId() + ":" + app.secret().replace("_", "%5F").replace("-", "%2D");
        String header = "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Response response = gatepass.tokenForm(params("grant_type", "client_credentials", "audience", identifier),
                "Authorization", header);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenAppBlockedThenUnauthorizedClientAndWhenUnblockedThenToken() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        gatepass.token(app.clientId(), app.secret(), identifier, null);

        assertThat(gatepass.admin("PATCH", "/admin/clients/" + app.clientId(), "{\"status\":\"blocked\"}").status()).isEqualTo(200);
        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(400, "unauthorized_client");

        assertThat(gatepass.admin("PATCH", "/admin/clients/" + app.clientId(), "{\"status\":\"active\"}").status()).isEqualTo(200);
        gatepass.token(app.clientId(), app.secret(), identifier, null);
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        App app = gatepass.createApp("x", null);
        gatepass.tokenForm(params("grant_type", "password", "username", "u", "password", "p"),
                "Authorization", basic(app.clientId(), app.secret())).assertOAuthError(400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenScopeNotGrantedThenInvalidScope() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("read", "write"), "read");
        String identifier = setup.identifier();
        App app = setup.app();
        String description = gatepass.tokenRequest(app, "audience", identifier, "scope", "read write").assertOAuthError(400, "invalid_scope");
        assertThat(description).contains("write");
    }

    @Test
    void tokenWhenScopeMalformedThenInvalidScope() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("read"), "read");
        String identifier = setup.identifier();
        App app = setup.app();
        gatepass.tokenRequest(app, "audience", identifier, "scope", "read  read").assertOAuthError(400, "invalid_scope");
    }

    @Test
    void tokenWhenAudienceUnknownOrNotGrantedThenInvalidTarget() {
        String granted = uniqueIdentifier();
        String other = uniqueIdentifier();
        String grantedId = gatepass.createApi(granted, "a");
        gatepass.createApi(other, "a");
        App app = gatepass.createApp("x", null);
        gatepass.grant(app.clientId(), grantedId, "a");

        gatepass.tokenRequest(app, "audience", "https://nowhere.example.com").assertOAuthError(400, "invalid_target");
        gatepass.tokenRequest(app, "audience", other).assertOAuthError(400, "invalid_target");
        gatepass.tokenRequest(app, "resource", "not a uri").assertOAuthError(400, "invalid_target");
    }

    @Test
    void tokenWhenAudienceAndResourceDisagreeThenInvalidRequest() {
        String first = uniqueIdentifier();
        App app = gatepass.createApp("x", null);
        gatepass.grant(app.clientId(), gatepass.createApi(first, "a"), "a");
        gatepass.tokenForm(params("grant_type", "client_credentials", "audience", first, "resource", uniqueIdentifier()),
                "Authorization", basic(app.clientId(), app.secret())).assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenNoAudienceAndSeveralGrantsThenInvalidRequest() {
        App app = gatepass.createApp("x", null);
        gatepass.grant(app.clientId(), gatepass.createApi(uniqueIdentifier(), "a"), "a");
        gatepass.grant(app.clientId(), gatepass.createApi(uniqueIdentifier(), "a"), "a");
        gatepass.tokenRequest(app)
                .assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenGrantNarrowedThenNextRequestGetsOnlyRemainingScopes() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("read", "write"), "read", "write");
        String identifier = setup.identifier();
        String apiId = setup.apiId();
        App app = setup.app();
        gatepass.token(app.clientId(), app.secret(), identifier, "write");

        gatepass.grant(app.clientId(), apiId, "read");

        gatepass.tokenRequest(app, "audience", identifier, "scope", "write").assertOAuthError(400, "invalid_scope");
        Response all = gatepass.tokenRequest(app, "audience", identifier);
        assertThat(all.json().get("scope").asText()).isEqualTo("read");

        assertThat(gatepass.admin("DELETE", "/admin/clients/" + app.clientId() + "/grants/" + apiId, null).status()).isEqualTo(204);
        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(400, "invalid_target");
    }

    @Test
    void tokenWhenApiScopeRemovedThenGrantLosesIt() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("read", "write"), "read", "write");
        String identifier = setup.identifier();
        String apiId = setup.apiId();
        App app = setup.app();

        assertThat(gatepass.admin("PATCH", "/admin/apis/" + apiId, "{\"scopes\":[\"read\"]}").status()).isEqualTo(200);

        Response response = gatepass.tokenRequest(app, "audience", identifier);
        assertThat(response.json().get("scope").asText()).isEqualTo("read");
        Response grant = gatepass.admin("GET", "/admin/clients/" + app.clientId() + "/grants/" + apiId, null);
        assertThat(grant.json().get("scopes").toString()).isEqualTo("[\"read\"]");
    }

    @Test
    void tokenWhenSecretRotatedThenBothWorkUntilOldDeleted() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        String oldSecretId = gatepass.admin("GET", "/admin/clients/" + app.clientId() + "/secrets", null).json().get(0).get("id").asText();

        Response created = gatepass.admin("POST", "/admin/clients/" + app.clientId() + "/secrets", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String newSecret = created.json().get("client_secret").asText();
        assertThat(newSecret).startsWith("gps_").isNotEqualTo(app.secret());

        gatepass.token(app.clientId(), app.secret(), identifier, null);
        gatepass.token(app.clientId(), newSecret, identifier, null);

        Response third = gatepass.admin("POST", "/admin/clients/" + app.clientId() + "/secrets", null);
        assertThat(third.assertProblem(409)).contains("at most 2");

        Response list = gatepass.admin("GET", "/admin/clients/" + app.clientId() + "/secrets", null);
        assertThat(list.json()).hasSize(2);
        assertThat(list.body()).doesNotContain(app.secret()).doesNotContain(newSecret).doesNotContain("gps_");

        assertThat(gatepass.admin("DELETE", "/admin/clients/" + app.clientId() + "/secrets/" + oldSecretId, null).status()).isEqualTo(204);
        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(401, "invalid_client");
        gatepass.token(app.clientId(), newSecret, identifier, null);

        String newSecretId = created.json().get("id").asText();
        gatepass.admin("DELETE", "/admin/clients/" + app.clientId() + "/secrets/" + newSecretId, null).assertProblem(409);
    }

    @Test
    void tokenWhenAppDeletedThenInvalidClient() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        gatepass.token(app.clientId(), app.secret(), identifier, null);

        assertThat(gatepass.admin("DELETE", "/admin/clients/" + app.clientId(), null).status()).isEqualTo(204);

        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(401, "invalid_client");
    }

    @Test
    void tokenWhenEmptyValuedParametersThenTreatedAsOmitted() {
        // RFC 6749 §3.1: parameters sent without a value are treated as omitted
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        Response response = gatepass.send("POST", "/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=&unknown_param=1&audience=" + identifier,
                "Authorization", basic(app.clientId(), app.secret()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("scope").asText()).isEqualTo("a");
    }

    @Test
    void discoveryWhenFetchedThenBothDocumentsAgreeAndJwksCacheable() {
        Response oauth = gatepass.get("/.well-known/oauth-authorization-server");
        Response oidc = gatepass.get("/.well-known/openid-configuration");
        assertThat(oauth.status()).isEqualTo(200);
        // the OpenID document is the RFC 8414 one with OpenID Discovery's REQUIRED members added
        assertThat(oidc.json().get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
        assertThat(oidc.json().get("id_token_signing_alg_values_supported").toString()).contains("RS256");
        var oidcDocument = (com.fasterxml.jackson.databind.node.ObjectNode) oidc.json();
        oidcDocument.remove(List.of("subject_types_supported", "id_token_signing_alg_values_supported"));
        assertThat(oidcDocument.toString()).isEqualTo(oauth.json().toString());
        assertThat(oauth.json().get("issuer").asText()).isEqualTo(gatepass.issuer());
        assertThat(oauth.json().get("token_endpoint").asText()).isEqualTo(gatepass.issuer() + "/oauth/token");
        assertThat(oauth.json().get("jwks_uri").asText()).isEqualTo(gatepass.issuer() + "/.well-known/jwks.json");
        assertThat(oauth.json().get("grant_types_supported").toString()).isEqualTo("[\"client_credentials\",\"urn:ietf:params:oauth:grant-type:token-exchange\","
                + "\"urn:ietf:params:oauth:grant-type:jwt-bearer\"]");
        assertThat(oauth.json().get("token_endpoint_auth_methods_supported").toString())
                .contains("client_secret_basic", "client_secret_post");

        Response jwks = gatepass.get("/.well-known/jwks.json");
        assertThat(jwks.header("Cache-Control")).startsWith("public, max-age=");
        assertThat(jwks.json().get("keys").get(0).get("use").asText()).isEqualTo("sig");
        assertThat(jwks.json().get("keys").get(0).get("alg").asText()).isEqualTo("RS256");
        assertThat(jwks.json().get("keys").get(0).has("d")).isFalse();
        assertThat(List.of("p", "q", "dp", "dq", "qi")).allSatisfy(field ->
                assertThat(jwks.json().get("keys").get(0).has(field)).isFalse());
    }

    @Test
    void healthWhenStoreUpThenReady() {
        assertThat(gatepass.get("/health/live").status()).isEqualTo(200);
        Response ready = gatepass.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("UP");
    }
}
