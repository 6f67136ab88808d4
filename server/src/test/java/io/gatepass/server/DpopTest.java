package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.web.TrustedProxies;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPoP (RFC 9449) at the token endpoint, driven by the Nimbus OAuth SDK's proof factory and token request: bound
 * tokens, every refusal of RFC 9449 §4.3, replays, the app's required flag, token reuse per key, nonces, and the
 * public URL behind a proxy.
 */
class DpopTest {
    @TempDir
    java.nio.file.Path dataDir;
    TestServer gatepass;

    @AfterEach
    void stop() {
        if (gatepass != null) gatepass.close();
    }

    private TestServer.GrantedApp start(ServerConfig.Edge edge) {
        gatepass = TestServer.start(TestServer.config(dataDir).toBuilder().edge(edge).build());
        return gatepass.grantedApp(java.util.List.of("read"), "read");
    }

    private URI tokenUrl() {
        return URI.create(gatepass.issuer() + "/oauth/token");
    }

    private static ECKey key() throws Exception {
        return new ECKeyGenerator(Curve.P_256).generate();
    }

    private Response token(App app, String audience, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = TestServer.basic(app.clientId(), app.secret());
        System.arraycopy(headers, 0, all, 2, headers.length);
        return gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "audience", audience), all);
    }

    private Response token(App app, String audience, String proof) {
        return token(app, audience, new String[] {"DPoP", proof});
    }

    @Test
    void nimbusClientWhenItSendsAProofThenDpopTokenBoundToItsKeyAndIntrospectionSaysSo() throws Exception {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        ECKey key = key();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        // sent to 127.0.0.1; the proof names the issuer's URL (localhost), as a client that discovered it would
        TokenRequest request = new TokenRequest.Builder(gatepass.uri("/oauth/token"), new ClientSecretBasic(
                new ClientID(granted.app().clientId()), new Secret(granted.app().secret())), new ClientCredentialsGrant())
                .scope(new Scope("read")).resources(URI.create(granted.identifier())).build();
        HTTPRequest http = request.toHTTPRequest();
        http.setDPoP(proofs.createDPoPJWT("POST", tokenUrl()));
        HTTPResponse httpResponse = http.send();
        TokenResponse response = TokenResponse.parse(httpResponse);
        assertThat(response.indicatesSuccess()).as(httpResponse.getBody()).isTrue();
        var accessToken = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(accessToken).isInstanceOf(DPoPAccessToken.class);
        assertThat(accessToken.getType()).isEqualTo(AccessTokenType.DPOP);

        JWTClaimsSet claims = SignedJWT.parse(accessToken.getValue()).getJWTClaimsSet();
        assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", key.computeThumbprint().toString());
        JsonNode introspected = gatepass.introspect(granted.app(), accessToken.getValue()).json();
        assertThat(introspected.get("token_type").asText()).isEqualTo("DPoP");
        assertThat(introspected.at("/cnf/jkt").asText()).isEqualTo(key.computeThumbprint().toString());
        // without a proof the same app still gets a bearer token: binding is the caller's choice unless required
        Response bearer = gatepass.tokenRequest(granted.app(), "audience", granted.identifier());
        assertThat(bearer.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(SignedJWT.parse(bearer.json().get("access_token").asText()).getJWTClaimsSet().getClaim("cnf")).isNull();
        JsonNode metadata = gatepass.get("/.well-known/oauth-authorization-server").json();
        assertThat(metadata.get("dpop_signing_alg_values_supported").toString()).contains("ES256", "RS256", "EdDSA")
                .doesNotContain("HS256", "none");
    }

    @Test
    void proofWhenAnyCheckFailsThenInvalidDpopProofNamingTheCheck() throws Exception {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        App app = granted.app();
        String api = granted.identifier();
        ECKey key = key();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        String good = proofs.createDPoPJWT("POST", tokenUrl()).serialize();

        assertThat(token(app, api, new String[] {"DPoP", good, "DPoP", proofs.createDPoPJWT("POST", tokenUrl()).serialize()})
                .assertOAuthError(400, "invalid_dpop_proof")).contains("exactly one DPoP header");
        assertThat(token(app, api, "not-a-jwt").assertOAuthError(400, "invalid_dpop_proof")).contains("not a JWT");
        JWTClaimsSet claims = claims("POST", tokenUrl().toString(), Instant.now());
        assertThat(token(app, api, new PlainJWT(claims).serialize()).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("alg none");
        assertThat(token(app, api, sign(key, new JOSEObjectType("jwt"), key.toPublicJWK(), claims))
                .assertOAuthError(400, "invalid_dpop_proof")).contains("typ").contains("check 4");
        assertThat(token(app, api, sign(key, null, key.toPublicJWK(), claims)).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("\"typ\"").contains("check 3");
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims);
        hmac.sign(new MACSigner("a-shared-secret-of-thirty-two-bytes!!"));
        assertThat(token(app, api, hmac.serialize()).assertOAuthError(400, "invalid_dpop_proof")).contains("alg").contains("check 5");
        assertThat(token(app, api, withPrivateJwk(key, claims)).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("private key");
        ECKey other = key();
        assertThat(token(app, api, sign(other, DPOP, key.toPublicJWK(), claims)).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("signature");
        assertThat(token(app, api, proofs.createDPoPJWT("GET", tokenUrl()).serialize()).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("htm");
        assertThat(token(app, api, proofs.createDPoPJWT("POST", URI.create("https://elsewhere.example/oauth/token")).serialize())
                .assertOAuthError(400, "invalid_dpop_proof")).contains("htu").contains(tokenUrl().toString());
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), claims("POST", tokenUrl().toString(),
                Instant.now().minusSeconds(300)))).assertOAuthError(400, "invalid_dpop_proof")).contains("iat");
        // query and fragment are not part of htu; default ports and case are normalised
        String normalised = sign(key, DPOP, key.toPublicJWK(), claims("POST", tokenUrl().toString().replace("http://localhost",
                "HTTP://LOCALHOST") + "?x=1#y", Instant.now()));
        assertThat(token(app, api, normalised).status()).isEqualTo(200);

        assertThat(token(app, api, good).status()).isEqualTo(200);
        assertThat(token(app, api, good).assertOAuthError(400, "invalid_dpop_proof")).contains("used before");
        // none of it was a 500, and the audit shows no issued token for a refused proof
        assertThat(gatepass.get("/metrics").body()).contains("error=\"invalid_dpop_proof\"");
    }

    @Test
    void proofWhenItsHeaderPassedBeforeThenItsSignatureAndClaimsAreStillChecked() throws Exception {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        App app = granted.app();
        String api = granted.identifier();
        ECKey key = key();
        String htu = tokenUrl().toString();
        // the server remembers a header that verified (the same typ, alg and jwk come with every proof of a client)
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), claims("POST", htu, Instant.now()))).status())
                .isEqualTo(200);

        // the same header: signed by another key, or with claims that fail, is refused as the first time
        assertThat(token(app, api, sign(key(), DPOP, key.toPublicJWK(), claims("POST", htu, Instant.now())))
                .assertOAuthError(400, "invalid_dpop_proof")).contains("signature").contains("check 6");
        String good = sign(key, DPOP, key.toPublicJWK(), claims("POST", htu, Instant.now()));
        String[] parts = good.split("\\.");
        assertThat(token(app, api, parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20) + (parts[2].charAt(20) == 'A' ? 'B' : 'A')
                + parts[2].substring(21))
                .assertOAuthError(400, "invalid_dpop_proof")).contains("signature");
        JWTClaimsSet noJti = new JWTClaimsSet.Builder().claim("htm", "POST").claim("htu", htu).issueTime(new Date()).build();
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), noJti)).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("\"jti\"").contains("check 3");
        assertThat(token(app, api, parts[0] + ".bm90IGpzb24." + parts[2]).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("claims");
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), claims("GET", htu, Instant.now())))
                .assertOAuthError(400, "invalid_dpop_proof")).contains("htm");
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), claims("POST", "https://elsewhere.example/oauth/token",
                Instant.now()))).assertOAuthError(400, "invalid_dpop_proof")).contains("htu");
        assertThat(token(app, api, sign(key, DPOP, key.toPublicJWK(), claims("POST", htu, Instant.now().minusSeconds(300))))
                .assertOAuthError(400, "invalid_dpop_proof")).contains("iat");
        assertThat(token(app, api, good).status()).isEqualTo(200);
        assertThat(token(app, api, good).assertOAuthError(400, "invalid_dpop_proof")).contains("used before");
    }

    private static final JOSEObjectType DPOP = new JOSEObjectType("dpop+jwt");

    private static JWTClaimsSet claims(String htm, String htu, Instant iat) {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", htm).claim("htu", htu)
                .issueTime(Date.from(iat)).build();
    }

    /** A proof whose header carries the private key too (Nimbus refuses to build one, so it is put together here). */
    private static String withPrivateJwk(ECKey key, JWTClaimsSet claims) throws Exception {
        Map<String, Object> header = Map.of("alg", "ES256", "typ", "dpop+jwt", "jwk", key.toJSONObject());
        String input = com.nimbusds.jose.util.Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header))
                + "." + com.nimbusds.jose.util.Base64URL.encode(claims.toString());
        JWSHeader parsedHeader = new JWSHeader(JWSAlgorithm.ES256);
        return input + "." + new ECDSASigner(key).sign(parsedHeader, input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String sign(ECKey signer, JOSEObjectType type, com.nimbusds.jose.jwk.JWK jwk, JWTClaimsSet claims) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(jwk);
        if (type != null) header.type(type);
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    @Test
    void proofWhenMadeBeforeTheServerStartedThenRefusedOnOneNodeForItsListOfUsedProofsIsNew() throws Exception {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        ECKey key = key();
        Response old = token(granted.app(), granted.identifier(), sign(key, DPOP, key.toPublicJWK(),
                claims("POST", tokenUrl().toString(), Instant.now().minusSeconds(30))));
        if (TestServer.onPostgres()) {
            assertThat(old.status()).as("a shared store keeps the list across restarts").isEqualTo(200);
        } else {
            assertThat(old.assertOAuthError(400, "invalid_dpop_proof")).contains("before the server started");
        }
    }

    @Test
    void managementApiWhenGivenADpopBoundTokenAsBearerThenRefused() throws Exception {
        start(ServerConfig.Edge.DIRECT);
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key(), JWSAlgorithm.ES256);
        Response bound = gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "audience", "urn:gatepass:admin"),
                "Authorization", TestServer.basic("gatepass-admin", TestServer.ADMIN_SECRET),
                "DPoP", proofs.createDPoPJWT("POST", tokenUrl()).serialize());
        assertThat(bound.json().get("token_type").asText()).isEqualTo("DPoP");
        Response refused = gatepass.adminAs(bound.json().get("access_token").asText(), "GET", "/admin/apis", null);
        assertThat(refused.assertProblem(401)).contains("bound to a key");
    }

    @Test
    void appWhenDpopBoundThenRequestsWithoutAProofRefusedAndReusedTokensOnlyForTheSameKey() throws Exception {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        App app = granted.app();
        Response changed = gatepass.admin("PATCH", "/admin/clients/" + app.clientId(),
                "{\"dpop_bound_access_tokens\":true,\"reuse_tokens\":true}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("dpop_bound_access_tokens").asBoolean()).isTrue();

        assertThat(gatepass.tokenRequest(app, "audience", granted.identifier()).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("dpop_bound_access_tokens");
        DPoPProofFactory first = new DefaultDPoPProofFactory(key(), JWSAlgorithm.ES256);
        DPoPProofFactory second = new DefaultDPoPProofFactory(key(), JWSAlgorithm.ES256);
        String a1 = token(app, granted.identifier(), first.createDPoPJWT("POST", tokenUrl()).serialize()).json().get("access_token").asText();
        String a2 = token(app, granted.identifier(), first.createDPoPJWT("POST", tokenUrl()).serialize()).json().get("access_token").asText();
        String b1 = token(app, granted.identifier(), second.createDPoPJWT("POST", tokenUrl()).serialize()).json().get("access_token").asText();
        assertThat(a2).isEqualTo(a1); // reuse_tokens: the held token, for the key it is bound to
        assertThat(b1).isNotEqualTo(a1);
        assertThat(SignedJWT.parse(b1).getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt"))
                .isNotEqualTo(SignedJWT.parse(a1).getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt"));
    }

    @Test
    void noncesWhenOnThenFirstProofGetsUseDpopNonceAndTheRetryWithItSucceeds() throws Exception {
        TestServer.GrantedApp granted = start(new ServerConfig.Edge(null, TrustedProxies.NONE, null, false, null, true));
        ECKey key = key();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        Response first = token(granted.app(), granted.identifier(), proofs.createDPoPJWT("POST", tokenUrl()).serialize());
        assertThat(first.assertOAuthError(400, "use_dpop_nonce")).contains("nonce");
        String nonce = first.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        Response retry = token(granted.app(), granted.identifier(),
                proofs.createDPoPJWT("POST", tokenUrl(), new Nonce(nonce)).serialize());
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.header("DPoP-Nonce")).isNotBlank(); // RFC 9449 §8.2: the nonce for the next proof
        Response forged = token(granted.app(), granted.identifier(),
                proofs.createDPoPJWT("POST", tokenUrl(), new Nonce("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).serialize());
        assertThat(forged.assertOAuthError(400, "use_dpop_nonce")).contains("not current");
    }

    @Test
    void publicUrlWhenBehindAProxyThenHtuIsThePublicUrlAndOnlyTrustedProxiesNameTheClient() throws Exception {
        String publicUrl = "https://auth.example.com";
        TestServer.GrantedApp granted = start(new ServerConfig.Edge(publicUrl, TrustedProxies.parse("127.0.0.1/32"), null,
                false, null, false));
        assertThat(gatepass.issuer()).isEqualTo(publicUrl);
        assertThat(gatepass.get("/.well-known/oauth-authorization-server").json().get("token_endpoint").asText())
                .isEqualTo(publicUrl + "/oauth/token");
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key(), JWSAlgorithm.ES256);
        assertThat(token(granted.app(), granted.identifier(), proofs.createDPoPJWT("POST", URI.create(publicUrl + "/oauth/token"))
                .serialize()).status()).isEqualTo(200);
        assertThat(token(granted.app(), granted.identifier(), proofs.createDPoPJWT("POST",
                URI.create("http://127.0.0.1:" + gatepass.uri("/").getPort() + "/oauth/token")).serialize())
                .assertOAuthError(400, "invalid_dpop_proof")).contains(publicUrl + "/oauth/token");

        // the proxy (127.0.0.1, trusted here) names the client; a failed authentication is audited with its address
        gatepass.tokenForm(TestServer.params("grant_type", "client_credentials"), "Authorization",
                TestServer.basic(granted.app().clientId(), "wrong"), "X-Forwarded-For", "203.0.113.9, 127.0.0.1")
                .assertOAuthError(401, "invalid_client");
        JsonNode events = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?client_id=" + granted.app().clientId()
                + "&type=client.authentication_failed", null).json(), e -> e.size() >= 1);
        assertThat(events.findValues("remote_address").stream().map(JsonNode::asText).toList()).contains("203.0.113.9");
    }

    @Test
    void forwardedHeadersWhenNoProxyIsTrustedThenIgnored() {
        TestServer.GrantedApp granted = start(ServerConfig.Edge.DIRECT);
        gatepass.tokenForm(TestServer.params("grant_type", "client_credentials"), "Authorization",
                TestServer.basic(granted.app().clientId(), "wrong"), "X-Forwarded-For", "203.0.113.9",
                "Forwarded", "for=198.51.100.7").assertOAuthError(401, "invalid_client");
        JsonNode events = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?client_id=" + granted.app().clientId()
                + "&type=client.authentication_failed", null).json(), e -> e.size() >= 1);
        assertThat(events.findValues("remote_address").stream().map(JsonNode::asText).toList())
                .doesNotContain("203.0.113.9", "198.51.100.7");
    }
}
