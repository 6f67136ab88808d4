package io.gatepass.server;

import static io.gatepass.server.TestServer.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.Assertions.AppKey;
import io.gatepass.server.TestServer.Response;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** private_key_jwt (OIDC Core §9, RFC 7523) with inline jwks: every check, each refusal invalid_client. */
class PrivateKeyJwtTest extends SharedServer {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    static String identifier;
    static String apiId;

    @BeforeAll
    static void start() {
        identifier = TestServer.uniqueIdentifier();
        apiId = gatepass.createApi(identifier, "read");
    }


    /** A private_key_jwt app with these keys, granted read; returns its client_id. */
    static String keyApp(TestServer server, String api, AppKey... keys) {
        StringBuilder set = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) set.append(i > 0 ? "," : "").append(keys[i].publicJwk().toJSONString());
        set.append("]}");
        Response created = server.admin("POST", "/admin/clients", "{\"client_name\":\"keyed\","
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + set + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().has("client_secret")).as("no secret for a key app").isFalse();
        String clientId = created.json().get("client_id").asText();
        server.grant(clientId, api, "read");
        return clientId;
    }

    static Response tokenWithAssertion(TestServer server, String assertion, String audience) {
        return server.tokenForm(params("grant_type", "client_credentials", "audience", audience,
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion));
    }

    static String tokenEndpoint() {
        return gatepass.issuer() + "/oauth/token";
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256", "PS256", "EdDSA"})
    void tokenWhenAssertionSignedWithRegisteredKeyThenIssued(String alg) throws Exception {
        AppKey key = Assertions.generate(alg, "k-" + alg);
        String clientId = keyApp(gatepass, apiId, key);

        Response response = tokenWithAssertion(gatepass, Assertions.sign(key,
                Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build()), identifier);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JWTClaimsSet token = SignedJWT.parse(response.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(token.getSubject()).isEqualTo(clientId);
        assertThat(token.getStringClaim("scope")).isEqualTo("read");
    }

    /** What docs/private-key-jwt.md shows: the Nimbus OAuth SDK's own private_key_jwt client, unchanged. */
    @Test
    void tokenWhenStandardClientLibrarySendsPrivateKeyJwtThenIssued() throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("app-key-1").generate();
        String clientId = keyApp(gatepass, apiId, new AppKey(key, com.nimbusds.jose.JWSAlgorithm.RS256, null));
        java.net.URI tokenEndpoint = java.net.URI.create(tokenEndpoint());

        var auth = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new com.nimbusds.oauth2.sdk.id.ClientID(clientId),
                tokenEndpoint, com.nimbusds.jose.JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null);
        var request = new com.nimbusds.oauth2.sdk.TokenRequest(tokenEndpoint, auth,
                new com.nimbusds.oauth2.sdk.ClientCredentialsGrant(), new com.nimbusds.oauth2.sdk.Scope("read"),
                List.of(java.net.URI.create(identifier)), null);
        var response = com.nimbusds.oauth2.sdk.TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope().toString()).isEqualTo("read");
    }

    @Test
    void tokenWhenIssuerAsAudienceAndSeveralKeysThenIssuedWithTheMatchingKey() throws Exception {
        AppKey old = Assertions.generate("ES256", "old");
        AppKey current = Assertions.generate("RS256", "current");
        String clientId = keyApp(gatepass, apiId, old, current);

        for (AppKey key : List.of(old, current)) {
            String assertion = Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer(), Instant.now()).build());
            assertThat(tokenWithAssertion(gatepass, assertion, identifier).status()).isEqualTo(200);
        }
    }

    private static String refusal(Response response) {
        return response.assertOAuthError(401, "invalid_client");
    }

    @Test
    void tokenWhenAssertionReplayedThenInvalidClient() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = keyApp(gatepass, apiId, key);
        String assertion = Assertions.sign(key, Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build());
        assertThat(tokenWithAssertion(gatepass, assertion, identifier).status()).isEqualTo(200);

        assertThat(refusal(tokenWithAssertion(gatepass, assertion, identifier))).contains("used before");
    }

    @Test
    void tokenWhenAssertionTimesWrongThenInvalidClient() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = keyApp(gatepass, apiId, key);
        Instant now = Instant.now();

        JWTClaimsSet expired = Assertions.claims(clientId, tokenEndpoint(), now.minusSeconds(300))
                .expirationTime(Date.from(now.minusSeconds(120))).build();
        JWTClaimsSet notYet = Assertions.claims(clientId, tokenEndpoint(), now).notBeforeTime(Date.from(now.plusSeconds(120))).build();
        JWTClaimsSet tooLong = Assertions.claims(clientId, tokenEndpoint(), now).expirationTime(Date.from(now.plusSeconds(3700))).build();
        JWTClaimsSet noExp = Assertions.claims(clientId, tokenEndpoint(), now).expirationTime(null).build();
        JWTClaimsSet noJti = Assertions.claims(clientId, tokenEndpoint(), now).jwtID(null).build();

        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, expired), identifier))).contains("expired");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, notYet), identifier))).contains("not valid yet");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, tooLong), identifier))).contains("60 minutes");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, noExp), identifier))).contains("exp");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, noJti), identifier))).contains("jti");
    }

    @Test
    void tokenWhenAssertionNamesWrongPartiesThenInvalidClient() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = keyApp(gatepass, apiId, key);
        String otherId = keyApp(gatepass, apiId, Assertions.generate("ES256", "other"));
        Instant now = Instant.now();

        JWTClaimsSet wrongAud = Assertions.claims(clientId, "https://elsewhere.example.com/token", now).build();
        JWTClaimsSet subDiffers = Assertions.claims(clientId, tokenEndpoint(), now).subject(otherId).build();
        JWTClaimsSet asOther = Assertions.claims(otherId, tokenEndpoint(), now).build(); // signed with this app's key

        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, wrongAud), identifier))).contains("aud");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(key, subDiffers), identifier))).contains("iss and sub");
        Response foreign = tokenWithAssertion(gatepass, Assertions.sign(
                new AppKey(key.jwk(), key.alg(), null), new JWSHeader.Builder(key.alg()).keyID("other").build(), asOther), identifier);
        assertThat(refusal(foreign)).contains("signature");
    }

    @Test
    void tokenWhenKeyIsNotTheRegisteredOneThenInvalidClient() throws Exception {
        AppKey registered = Assertions.generate("RS256", "k");
        String clientId = keyApp(gatepass, apiId, registered);
        AppKey impostor = Assertions.generate("RS256", "k"); // same kid, another key
        JWTClaimsSet claims = Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build();

        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(impostor, claims), identifier))).contains("signature");
        AppKey unknownKid = Assertions.generate("RS256", "nobody-knows-me");
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(unknownKid,
                Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build()), identifier))).contains("kid");
        // the key carried in the header is never trusted
        JWSHeader embedded = new JWSHeader.Builder(impostor.alg()).keyID("k").jwk(impostor.publicJwk()).build();
        assertThat(refusal(tokenWithAssertion(gatepass, Assertions.sign(impostor, embedded,
                Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build()), identifier))).contains("jwk");
    }

    @Test
    void tokenWhenUnsignedOrHmacThenInvalidClient() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = keyApp(gatepass, apiId, key);

        String none = new PlainJWT(Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build()).serialize();
        assertThat(refusal(tokenWithAssertion(gatepass, none, identifier))).contains("none");
        String hmac = Assertions.hs256("a guessed secret that is long enough for HS256", "k",
                Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build());
        assertThat(refusal(tokenWithAssertion(gatepass, hmac, identifier))).contains("HS256");
        assertThat(refusal(tokenWithAssertion(gatepass, "not.a.jwt", identifier))).contains("JWT");
        Response wrongType = gatepass.tokenForm(params("grant_type", "client_credentials", "audience", identifier,
                "client_assertion_type", "urn:example:other", "client_assertion", none));
        assertThat(refusal(wrongType)).contains("client_assertion_type");
    }

    @Test
    void tokenWhenKeyAppTriesASecretOrTwoMethodsThenRefused() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = keyApp(gatepass, apiId, key);

        gatepass.tokenRequest(new TestServer.App(clientId, "gps_any-secret"), "audience", identifier)
                .assertOAuthError(401, "invalid_client");
        String assertion = Assertions.sign(key, Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build());
        gatepass.tokenForm(params("grant_type", "client_credentials", "audience", identifier, "client_assertion_type",
                JWT_BEARER, "client_assertion", assertion), "Authorization", TestServer.basic(clientId, "x"))
                .assertOAuthError(400, "invalid_request");
        gatepass.admin("POST", "/admin/clients/" + clientId + "/secrets", null).assertProblem(409);
    }

    @Test
    void introspectWhenCallerAuthenticatesWithAssertionThenWorks() throws Exception {
        AppKey key = Assertions.generate("EdDSA", "k");
        String clientId = keyApp(gatepass, apiId, key);
        String token = tokenWithAssertion(gatepass, Assertions.sign(key,
                Assertions.claims(clientId, tokenEndpoint(), Instant.now()).build()), identifier).json().get("access_token").asText();

        Response introspection = gatepass.send("POST", "/oauth/introspect", "application/x-www-form-urlencoded",
                TestServer.form(params("token", token, "client_assertion_type", JWT_BEARER, "client_assertion",
                        Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer() + "/oauth/introspect", Instant.now()).build()))));

        assertThat(introspection.json().get("active").asBoolean()).as(introspection.body()).isTrue();
    }

    @Test
    void registerWhenKeysInvalidThenBadField() throws Exception {
        AppKey key = Assertions.generate("RS256", "k");
        String base = "{\"client_name\":\"bad\",\"token_endpoint_auth_method\":\"private_key_jwt\"";
        Map<String, String> cases = Map.of(
                base + "}", "jwks",
                base + ",\"jwks\":{\"keys\":[" + key.jwk().toJSONString() + "]}}", "private",
                base + ",\"jwks\":{\"keys\":[]}}", "1 to",
                base + ",\"jwks\":{\"keys\":[" + key.publicJwk().toJSONString() + "]},\"jwks_uri\":\"https://a.example.com/jwks\"}", "not both",
                base + ",\"jwks_uri\":\"http://a.example.com/jwks\"}", "https",
                "{\"client_name\":\"bad\",\"jwks\":{\"keys\":[" + key.publicJwk().toJSONString() + "]}}", "private_key_jwt");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response response = gatepass.admin("POST", "/admin/clients", c.getKey());
            assertThat(response.assertProblem(400)).as(c.getKey()).contains(c.getValue());
        }
        Response small = gatepass.admin("POST", "/admin/clients", base + ",\"jwks\":{\"keys\":["
                + new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true).generate().toPublicJWK().toJSONString() + "]}}");
        assertThat(small.assertProblem(400)).contains("2048");
    }

    @Test
    void appWhenReadThenShowsItsPublicKeysOnly() throws Exception {
        AppKey key = Assertions.generate("ES256", "shown");
        String clientId = keyApp(gatepass, apiId, key);

        JsonNode app = gatepass.admin("GET", "/admin/clients/" + clientId, null).json();

        assertThat(app.get("token_endpoint_auth_method").asText()).isEqualTo("private_key_jwt");
        JWKSet shown = JWKSet.parse(app.get("jwks").toString());
        assertThat(shown.getKeyByKeyId("shown").isPrivate()).isFalse();
    }

    @Test
    void metadataWhenFetchedThenAdvertisesPrivateKeyJwt() {
        JsonNode metadata = gatepass.get("/.well-known/oauth-authorization-server").json();
        assertThat(metadata.get("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
        assertThat(metadata.get("token_endpoint_auth_signing_alg_values_supported").toString())
                .contains("ES256", "RS256", "PS256", "EdDSA").doesNotContain("HS256").doesNotContain("none");
    }
}
