package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.limits.RateLimitPolicy;
import io.gatepass.server.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 7591 registration and RFC 7592 management of registered apps, driven by the Nimbus OAuth SDK's registration
 * requests and by raw HTTP for every refusal: an app registered with an initial access token gets exactly the
 * grants the token carries, and never more.
 */
class RegistrationTest extends SharedServer {
    static String identifier;
    static String apiId;
    static String adminApiId;
    static URI registrationEndpoint;

    @BeforeAll
    static void start() throws Exception {
        identifier = TestServer.uniqueIdentifier();
        apiId = gatepass.createApi(identifier, "partner:read", "partner:write");
        adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        registrationEndpoint = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer())).getRegistrationEndpointURI();
    }

    /** An initial access token made by the admin: its value and id. */
    private static JsonNode initialToken(String body) {
        Response created = gatepass.admin("POST", "/admin/initial-access-tokens", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("token").asText()).startsWith("gpi_");
        return created.json();
    }

    private static String readerToken(int maxUses) {
        return initialToken("{\"name\":\"partner\",\"expires_in\":3600,\"max_uses\":" + maxUses
                + ",\"grants\":[{\"api_id\":\"" + apiId + "\",\"scopes\":[\"partner:read\"]}]}").get("token").asText();
    }

    private static ClientMetadata secretAppMetadata(String name) {
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName(name);
        metadata.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        return metadata;
    }

    private static ClientRegistrationResponse register(String token, ClientMetadata metadata) throws Exception {
        HTTPResponse http = new ClientRegistrationRequest(registrationEndpoint, metadata, new BearerAccessToken(token))
                .toHTTPRequest().send();
        return ClientRegistrationResponse.parse(http);
    }

    private static ClientInformation registered(String token, ClientMetadata metadata) throws Exception {
        ClientRegistrationResponse response = register(token, metadata);
        assertThat(response.indicatesSuccess()).as(() -> ((ClientRegistrationErrorResponse) response).getErrorObject().toString())
                .isTrue();
        return ((ClientInformationResponse) response).getClientInformation();
    }

    private static Response raw(String method, String path, String token, String body) {
        return token == null
                ? gatepass.send(method, path, "application/json", body)
                : gatepass.send(method, path, "application/json", body, "Authorization", "Bearer " + token);
    }

    @Test
    void registerWhenNimbusWithInitialTokenThenGrantedOnlyWhatTheTokenCarriesAndManagedByItsOwnToken() throws Exception {
        ClientMetadata metadata = secretAppMetadata("Partner billing");
        metadata.setEmailContacts(List.of("ops@partner.example"));
        metadata.setURI(URI.create("https://partner.example"));
        metadata.setCustomField("frobnicate", "ignored, as RFC 7591 §2 says");
        ClientInformation info = registered(readerToken(2), metadata);

        assertThat(info.getSecret().getValue()).startsWith("gps_");
        assertThat(info.getRegistrationAccessToken().getValue()).startsWith("gpr_");
        assertThat(info.getRegistrationURI()).isEqualTo(URI.create(gatepass.issuer() + "/oauth/register/" + info.getID()));
        assertThat(info.getMetadata().getName()).isEqualTo("Partner billing");
        assertThat(info.getMetadata().getEmailContacts()).containsExactly("ops@partner.example");
        assertThat(info.getMetadata().getCustomField("frobnicate")).isNull();
        // the grant the initial access token carries, and only that
        App app = new App(info.getID().getValue(), info.getSecret().getValue());
        assertThat(gatepass.token(app.clientId(), app.secret(), identifier, "partner:read")).isNotBlank();
        gatepass.tokenRequest(app, "audience", identifier, "scope", "partner:write").assertOAuthError(400, "invalid_scope");
        JsonNode asAdminSeesIt = gatepass.admin("GET", "/admin/clients/" + app.clientId(), null).json();
        assertThat(asAdminSeesIt.get("registered_via").asText()).startsWith("initial_access_token:iat_");
        JsonNode audit = gatepass.admin("GET", "/admin/audit?client_id=" + app.clientId() + "&type=client.created", null).json();
        assertThat(audit.get(0).get("actor").asText()).startsWith("iat_");

        BearerAccessToken own = info.getRegistrationAccessToken();
        ClientInformationResponse read = (ClientInformationResponse) ClientRegistrationResponse.parse(
                new ClientReadRequest(info.getRegistrationURI(), own).toHTTPRequest().send());
        assertThat(read.getClientInformation().getMetadata().getURI()).isEqualTo(URI.create("https://partner.example"));

        ClientMetadata changed = secretAppMetadata("Partner billing v2");
        ClientInformationResponse updated = (ClientInformationResponse) ClientRegistrationResponse.parse(
                new ClientUpdateRequest(info.getRegistrationURI(), info.getID(), own, changed, info.getSecret())
                        .toHTTPRequest().send());
        assertThat(updated.getClientInformation().getMetadata().getName()).isEqualTo("Partner billing v2");
        // RFC 7592 §2.2: the token is rotated; the old one is done
        BearerAccessToken rotated = updated.getClientInformation().getRegistrationAccessToken();
        assertThat(rotated.getValue()).isNotEqualTo(own.getValue());
        raw("GET", "/oauth/register/" + app.clientId(), own.getValue(), null).assertOAuthError(401, "invalid_token");
        assertThat(gatepass.admin("GET", "/admin/clients/" + app.clientId() + "/grants", null).json().size()).isEqualTo(1);

        String issued = gatepass.token(app.clientId(), app.secret(), identifier, "partner:read");
        HTTPResponse deleted = new ClientDeleteRequest(info.getRegistrationURI(), rotated).toHTTPRequest().send();
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(401, "invalid_client");
        assertThat(gatepass.introspect(TestServer.ADMIN, issued).json().get("active").asBoolean()).isFalse();
        gatepass.admin("GET", "/admin/clients/" + app.clientId(), null).assertProblem(404);
    }

    @Test
    void registerWhenPrivateKeyJwtThenTheAppGetsTokensWithItsOwnKeyByNimbus() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("partner-1").generate();
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName("Keyed partner");
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        metadata.setJWKSet(new JWKSet(key.toPublicJWK()));
        ClientInformation info = registered(readerToken(1), metadata);
        assertThat(info.getSecret()).isNull();

        AuthorizationServerMetadata server = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer()));
        TokenRequest request = new TokenRequest(server.getTokenEndpointURI(),
                new PrivateKeyJWT(info.getID(), server.getTokenEndpointURI(), JWSAlgorithm.ES256, key.toECPrivateKey(),
                        key.getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("partner:read"), List.of(URI.create(identifier)), null);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
    }

    @Test
    void registerWhenInitialTokenUsedUpRevokedOrUnknownThen401WithBearerChallenge() {
        String token = readerToken(1);
        assertThat(raw("POST", "/oauth/register", token, "{\"client_name\":\"first\"}").status()).isEqualTo(201);
        Response second = raw("POST", "/oauth/register", token, "{\"client_name\":\"second\"}");
        assertThat(second.assertOAuthError(401, "invalid_token")).contains("no uses left");
        assertThat(second.header("WWW-Authenticate")).startsWith("Bearer realm=\"gatepass\", error=\"invalid_token\"");

        JsonNode revocable = initialToken("{\"max_uses\":5}");
        assertThat(gatepass.admin("DELETE", "/admin/initial-access-tokens/" + revocable.get("id").asText(), null).status())
                .isEqualTo(204);
        raw("POST", "/oauth/register", revocable.get("token").asText(), "{}").assertOAuthError(401, "invalid_token");
        raw("POST", "/oauth/register", "gpi_made-up", "{}").assertOAuthError(401, "invalid_token");
        raw("POST", "/oauth/register", "not-a-jwt", "{}").assertOAuthError(401, "invalid_token");

        Response none = raw("POST", "/oauth/register", null, "{}");
        none.assertOAuthError(401, "invalid_token");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatepass\"");
        gatepass.send("POST", "/oauth/register", "application/json", "{}", "Authorization",
                TestServer.basic(TestServer.ADMIN_ID, TestServer.ADMIN_SECRET)).assertOAuthError(401, "invalid_token");
    }

    @Test
    void initialTokensWhenListedThenUsesShownAndNeverTheToken() {
        JsonNode created = initialToken("{\"name\":\"listing\",\"max_uses\":3,\"allowed_auth_methods\":[\"private_key_jwt\"]}");
        Response list = gatepass.admin("GET", "/admin/initial-access-tokens?limit=200", null);
        assertThat(list.body()).doesNotContain(created.get("token").asText());
        JsonNode listed = null;
        for (JsonNode entry : list.json()) if (entry.get("id").asText().equals(created.get("id").asText())) listed = entry;
        assertThat(listed).isNotNull();
        assertThat(listed.has("token")).isFalse();
        assertThat(listed.get("uses_left").asInt()).isEqualTo(3);
        assertThat(listed.get("allowed_auth_methods").toString()).isEqualTo("[\"private_key_jwt\"]");

        // the token allows only private_key_jwt apps
        raw("POST", "/oauth/register", created.get("token").asText(), "{\"client_name\":\"secret app\"}")
                .assertOAuthError(400, "invalid_client_metadata");
        gatepass.admin("POST", "/admin/initial-access-tokens", "{\"max_uses\":0}").assertProblem(400);
        gatepass.admin("POST", "/admin/initial-access-tokens", "{\"expires_in\":99999999}").assertProblem(400);
        gatepass.admin("POST", "/admin/initial-access-tokens", "{\"grants\":[{\"api_id\":\"api_nope\",\"scopes\":[]}]}")
                .assertProblem(400);
        gatepass.admin("POST", "/admin/initial-access-tokens",
                "{\"grants\":[{\"api_id\":\"" + apiId + "\",\"scopes\":[\"partner:delete\"]}]}").assertProblem(400);
        JsonNode audit = gatepass.admin("GET", "/admin/audit?type=initial_access_token.created", null).json();
        assertThat(audit.toString()).doesNotContain(created.get("token").asText()).contains(created.get("id").asText());
    }

    @Test
    void registerWhenMetadataWrongThenInvalidClientMetadataNamingTheField() {
        String token = readerToken(50);
        record Case(String body, String code, String mentions) {
        }
        List<Case> cases = List.of(
                new Case("{\"grant_types\":[\"authorization_code\"]}", "invalid_client_metadata", "grant_types"),
                new Case("{\"redirect_uris\":[\"https://partner.example/cb\"]}", "invalid_redirect_uri", "redirect_uris"),
                new Case("{\"response_types\":[\"code\"]}", "invalid_client_metadata", "response_types"),
                new Case("{\"token_endpoint_auth_method\":\"none\"}", "invalid_client_metadata", "token_endpoint_auth_method"),
                new Case("{\"logo_uri\":\"http://partner.example/logo.png\"}", "invalid_client_metadata", "logo_uri"),
                new Case("{\"client_name\":42}", "invalid_client_metadata", "client_name"),
                new Case("{\"contacts\":\"ops@partner.example\"}", "invalid_client_metadata", "contacts"),
                new Case("{\"token_endpoint_auth_method\":\"private_key_jwt\"}", "invalid_client_metadata", "jwks"),
                new Case("{\"jwks\":{\"keys\":[]}}", "invalid_client_metadata", "jwks"),
                new Case("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"http://10.0.0.1/jwks\"}",
                        "invalid_client_metadata", "jwks_uri"),
                new Case("{\"scope\":\"a \\\"b\"}", "invalid_client_metadata", "scope"),
                new Case("[1,2]", "invalid_client_metadata", "object"),
                new Case("{\"client_name\":", "invalid_client_metadata", "malformed"));
        for (Case c : cases) {
            Response response = raw("POST", "/oauth/register", token, c.body());
            assertThat(response.assertOAuthError(400, c.code())).as(c.body()).contains(c.mentions());
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.gatepass");
        }
        gatepass.send("POST", "/oauth/register", "application/x-www-form-urlencoded", "client_name=x", "Authorization",
                "Bearer " + token).assertOAuthError(415, "invalid_request");
        // none of them used the token up
        assertThat(raw("POST", "/oauth/register", token, "{}").status()).isEqualTo(201);
    }

    @Test
    void registrationUriWhenAnyOtherTokenThen401AndUpdateChecksItsInput() throws Exception {
        ClientInformation mine = registered(readerToken(1), secretAppMetadata("mine"));
        ClientInformation theirs = registered(readerToken(1), secretAppMetadata("theirs"));
        String path = "/oauth/register/" + mine.getID().getValue();

        raw("GET", path, gatepass.adminToken(), null).assertOAuthError(401, "invalid_token");
        raw("GET", path, theirs.getRegistrationAccessToken().getValue(), null).assertOAuthError(401, "invalid_token");
        raw("DELETE", path, theirs.getRegistrationAccessToken().getValue(), null).assertOAuthError(401, "invalid_token");
        raw("GET", "/oauth/register/nobody", mine.getRegistrationAccessToken().getValue(), null)
                .assertOAuthError(401, "invalid_token");

        String own = mine.getRegistrationAccessToken().getValue();
        String id = mine.getID().getValue();
        raw("PUT", path, own, "{\"client_name\":\"x\"}").assertOAuthError(400, "invalid_client_metadata");
        raw("PUT", path, own, "{\"client_id\":\"" + theirs.getID().getValue() + "\"}").assertOAuthError(400, "invalid_client_metadata");
        raw("PUT", path, own, "{\"client_id\":\"" + id + "\",\"client_secret\":\"gps_not-mine\"}")
                .assertOAuthError(400, "invalid_client_metadata");
        raw("PUT", path, own, "{\"client_id\":\"" + id + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":"
                + "\"https://partner.example/jwks\"}").assertOAuthError(400, "invalid_client_metadata");
        // none of the refused updates rotated the token
        assertThat(raw("GET", path, own, null).status()).isEqualTo(200);
    }

    @Test
    void registerWhenManagementTokenThenNeedsClientsWriteAndGivesNoGrants() throws Exception {
        ClientInformation info = registered(gatepass.adminToken(), secretAppMetadata("by admin"));
        JsonNode app = gatepass.admin("GET", "/admin/clients/" + info.getID().getValue(), null).json();
        assertThat(app.get("registered_via").asText()).isEqualTo("management_token:" + TestServer.ADMIN_ID);
        assertThat(gatepass.admin("GET", "/admin/clients/" + info.getID().getValue() + "/grants", null).json().size()).isZero();

        App reader = gatepass.createApp("reader", null);
        gatepass.grant(reader.clientId(), adminApiId, "clients:read");
        String readerToken = gatepass.token(reader.clientId(), reader.secret(), "urn:gatepass:admin", null);
        Response refused = raw("POST", "/oauth/register", readerToken, "{}");
        refused.assertOAuthError(403, "insufficient_scope");
        assertThat(refused.header("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    void initialTokenWhenItWouldHandOutManagementScopesTheMakerLacksThen403() {
        App writer = gatepass.createApp("writer", null);
        gatepass.grant(writer.clientId(), adminApiId, "clients:write", "clients:read");
        String token = gatepass.token(writer.clientId(), writer.secret(), "urn:gatepass:admin", null);
        gatepass.adminAs(token, "POST", "/admin/initial-access-tokens",
                "{\"grants\":[{\"api_id\":\"" + adminApiId + "\",\"scopes\":[\"keys:write\"]}]}").assertProblem(403);
        assertThat(gatepass.adminAs(token, "POST", "/admin/initial-access-tokens",
                "{\"grants\":[{\"api_id\":\"" + adminApiId + "\",\"scopes\":[\"clients:read\"]}]}").status()).isEqualTo(201);
    }

    @Test
    void registerWhenInitialTokenExpiredOrAddressOverItsLimitThenRefused(@TempDir Path dir) {
        MutableClock clock = new MutableClock();
        ServerConfig config = TestServer.config(dir).toBuilder().limits(new RateLimitPolicy(0, 0, 0, 0, 3)).build();
        try (TestServer server = TestServer.wrap(dir, GatepassServer.start(config, clock))) {
            Response created = server.admin("POST", "/admin/initial-access-tokens", "{\"expires_in\":60,\"max_uses\":10}");
            String token = created.json().get("token").asText();
            assertThat(server.send("POST", "/oauth/register", "application/json", "{}", "Authorization", "Bearer " + token)
                    .status()).isEqualTo(201);
            clock.advance(Duration.ofSeconds(61));
            server.send("POST", "/oauth/register", "application/json", "{}", "Authorization", "Bearer " + token)
                    .assertOAuthError(401, "invalid_token");
            server.send("POST", "/oauth/register", "application/json", "{}", "Authorization", "Bearer " + token);
            Response limited = server.send("POST", "/oauth/register", "application/json", "{}", "Authorization", "Bearer " + token);
            limited.assertOAuthError(429, "too_many_requests");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        }
    }
}
