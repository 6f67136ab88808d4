package io.gatepass.server;

import static io.gatepass.server.TestServer.basic;
import static io.gatepass.server.TestServer.params;
import static io.gatepass.server.TestServer.uniqueIdentifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManagementApiTest extends SharedServer {
    static String adminApiId;

    @BeforeAll
    static void start() {
        Response apis = gatepass.admin("GET", "/admin/apis", null);
        for (var api : apis.json()) {
            if (api.get("identifier").asText().equals("urn:gatepass:admin")) adminApiId = api.get("id").asText();
        }
    }


    @Test
    void bootstrapWhenFirstStartThenManagementApiAndAdminAppExist() {
        Response api = gatepass.admin("GET", "/admin/apis/" + adminApiId, null);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body()).contains("apis:read", "apis:write", "clients:read", "clients:write", "keys:read",
                "keys:write", "audit:read");
        Response grants = gatepass.admin("GET", "/admin/clients/gatepass-admin/grants", null);
        assertThat(grants.json().get(0).get("scopes")).hasSize(7);
        assertThat(gatepass.server.bootstrap()).isPresent();
        assertThat(gatepass.server.bootstrap().get().generatedSecret()).as("secret came from config").isEmpty();
    }

    @Test
    void adminWhenNoTokenThen401Problem() {
        Response response = gatepass.get("/admin/apis");
        response.assertProblem(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void adminWhenTokenMalformedOrForeignThen401Problem() throws Exception {
        gatepass.adminAs("not-a-jwt", "GET", "/admin/apis", null).assertProblem(401);
        gatepass.send("GET", "/admin/apis", null, null, "Authorization", "Basic " + "eDp5").assertProblem(401);

        // signed by a key the server does not have, with every claim otherwise right
        var foreignKey = new RSAKeyGenerator(2048).keyID(SignedJWT.parse(gatepass.adminToken()).getHeader().getKeyID()).generate();
        JWTClaimsSet claims = SignedJWT.parse(gatepass.adminToken()).getJWTClaimsSet();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
                .keyID(foreignKey.getKeyID()).build(), claims);
        forged.sign(new RSASSASigner(foreignKey));
        gatepass.adminAs(forged.serialize(), "GET", "/admin/apis", null).assertProblem(401);

        // alg none
        String[] parts = gatepass.adminToken().split("\\.");
        String noneHeader = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes());
        gatepass.adminAs(noneHeader + "." + parts[1] + ".", "GET", "/admin/apis", null).assertProblem(401);
    }

    @Test
    void adminWhenTokenForOtherAudienceThen401() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        App app = setup.app();
        String businessToken = gatepass.token(app.clientId(), app.secret(), identifier, null);

        assertThat(gatepass.adminAs(businessToken, "GET", "/admin/apis", null).assertProblem(401)).contains("management API");
    }

    /** The brief's scenario 1: an app granted some management scopes can list apps but not create them. */
    @Test
    void adminWhenAppHasReadScopeOnlyThenListsButCannotCreate() {
        App operator = gatepass.createApp("read-only-operator", null);
        gatepass.grant(operator.clientId(), adminApiId, "clients:read");
        String token = gatepass.token(operator.clientId(), operator.secret(), "urn:gatepass:admin", null);

        assertThat(gatepass.adminAs(token, "GET", "/admin/clients", null).status()).isEqualTo(200);
        Response denied = gatepass.adminAs(token, "POST", "/admin/clients", "{\"client_name\":\"nope\"}");
        assertThat(denied.assertProblem(403)).contains("clients:write");
        assertThat(denied.header("WWW-Authenticate")).contains("insufficient_scope");
        gatepass.adminAs(token, "GET", "/admin/apis", null).assertProblem(403);
    }

    @Test
    void adminWhenCallerAppBlockedThenItsTokenStopsWorking() {
        App operator = gatepass.createApp("soon-blocked-operator", null);
        gatepass.grant(operator.clientId(), adminApiId, "clients:read");
        String token = gatepass.token(operator.clientId(), operator.secret(), "urn:gatepass:admin", null);
        assertThat(gatepass.adminAs(token, "GET", "/admin/clients", null).status()).isEqualTo(200);

        gatepass.admin("PATCH", "/admin/clients/" + operator.clientId(), "{\"status\":\"blocked\"}");

        gatepass.adminAs(token, "GET", "/admin/clients", null).assertProblem(401);
    }

    @Test
    void createApiWhenIdentifierTakenThen409() {
        String identifier = uniqueIdentifier();
        gatepass.createApi(identifier, "a");
        Response again = gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"" + identifier + "\",\"name\":\"x\"}");
        assertThat(again.assertProblem(409)).contains(identifier);
    }

    @Test
    void createApiWhenFieldInvalidThen400NamingField() {
        assertThat(gatepass.admin("POST", "/admin/apis", "{\"name\":\"x\"}").assertProblem(400)).contains("identifier");
        Response badScope = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + uniqueIdentifier() + "\",\"name\":\"x\",\"scopes\":[\"ok\",\"has space\"]}");
        badScope.assertProblem(400);
        assertThat(badScope.json().get("field").asText()).isEqualTo("scopes[1]");
        Response lifetime = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + uniqueIdentifier() + "\",\"name\":\"x\",\"token_lifetime\":-5}");
        assertThat(lifetime.json().get("field").asText()).isEqualTo("token_lifetime");
        Response unknown = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + uniqueIdentifier() + "\",\"name\":\"x\",\"scope\":[\"a\"]}");
        assertThat(unknown.json().get("field").asText()).isEqualTo("scope");
        Response alg = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + uniqueIdentifier() + "\",\"name\":\"x\",\"signing_alg\":\"none\"}");
        assertThat(alg.json().get("field").asText()).isEqualTo("signing_alg");
        Response duplicateScope = gatepass.admin("POST", "/admin/apis",
                "{\"identifier\":\"" + uniqueIdentifier() + "\",\"name\":\"x\",\"scopes\":[\"a\",{\"value\":\"a\"}]}");
        assertThat(duplicateScope.json().get("field").asText()).isEqualTo("scopes[1]");
    }

    @Test
    void createClientWhenFieldInvalidThen400NamingField() {
        Response method = gatepass.admin("POST", "/admin/clients",
                "{\"client_name\":\"x\",\"token_endpoint_auth_method\":\"client_secret_jwt\"}");
        assertThat(method.json().get("field").asText()).isEqualTo("token_endpoint_auth_method");
        Response name = gatepass.admin("POST", "/admin/clients", "{\"client_name\":42}");
        assertThat(name.json().get("field").asText()).isEqualTo("client_name");
        Response status = gatepass.admin("PATCH", "/admin/clients/gatepass-admin", "{\"status\":\"paused\"}");
        assertThat(status.json().get("field").asText()).isEqualTo("status");
    }

    @Test
    void grantWhenScopeNotDefinedByApiThen400() {
        String apiId = gatepass.createApi(uniqueIdentifier(), "read");
        App app = gatepass.createApp("x", null);
        Response response = gatepass.admin("PUT", "/admin/clients/" + app.clientId() + "/grants/" + apiId, "{\"scopes\":[\"read\",\"admin\"]}");
        assertThat(response.json().get("field").asText()).isEqualTo("scopes[1]");
        response.assertProblem(400);
    }

    @Test
    void adminWhenUnknownIdsThen404() {
        gatepass.admin("GET", "/admin/apis/api_nope", null).assertProblem(404);
        gatepass.admin("GET", "/admin/clients/nope", null).assertProblem(404);
        gatepass.admin("PATCH", "/admin/clients/nope", "{\"client_name\":\"x\"}").assertProblem(404);
        gatepass.admin("DELETE", "/admin/clients/nope", null).assertProblem(404);
        gatepass.admin("GET", "/admin/clients/nope/secrets", null).assertProblem(404);
        App app = gatepass.createApp("x", null);
        gatepass.admin("PUT", "/admin/clients/" + app.clientId() + "/grants/api_nope", "{\"scopes\":[]}").assertProblem(404);
        gatepass.admin("DELETE", "/admin/clients/" + app.clientId() + "/secrets/sec_nope", null).assertProblem(404);
        gatepass.admin("GET", "/admin/nothing-here", null).assertProblem(404);
    }

    @Test
    void managementApiWhenRemovalOrScopeChangeAttemptedThen409Or403() {
        gatepass.admin("DELETE", "/admin/apis/" + adminApiId, null).assertProblem(409);
        // its record is read-only but for its name (ManagementPowerTest)
        gatepass.admin("PATCH", "/admin/apis/" + adminApiId, "{\"scopes\":[\"apis:read\"]}").assertProblem(403);
        gatepass.admin("PATCH", "/admin/clients/gatepass-admin", "{\"status\":\"blocked\"}").assertProblem(409);
        gatepass.admin("DELETE", "/admin/clients/gatepass-admin", null).assertProblem(409);
        assertThat(gatepass.admin("GET", "/admin/apis", null).status()).isEqualTo(200);
    }

    @Test
    void clientWhenReadOrListedThenNoSecretAnywhere() {
        App app = gatepass.createApp("secretive", null);
        Response one = gatepass.admin("GET", "/admin/clients/" + app.clientId(), null);
        Response list = gatepass.admin("GET", "/admin/clients?limit=1000", null);
        assertThat(one.body()).doesNotContain(app.secret()).doesNotContain("client_secret\"");
        assertThat(list.body()).doesNotContain(app.secret()).contains(app.clientId());
        assertThat(one.json().get("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
        assertThat(one.json().get("grant_types").toString()).isEqualTo("[\"client_credentials\"]");
    }

    @Test
    void listWhenPagedThenLimitAndOffsetApply() {
        for (int i = 0; i < 3; i++) gatepass.createApi(uniqueIdentifier(), "a");
        Response first = gatepass.admin("GET", "/admin/apis?limit=2", null);
        Response second = gatepass.admin("GET", "/admin/apis?limit=2&offset=2", null);
        assertThat(first.json()).hasSize(2);
        assertThat(second.json().get(0).get("id").asText()).isNotEqualTo(first.json().get(0).get("id").asText());
        assertThat(gatepass.admin("GET", "/admin/apis?limit=0", null).json().get("field").asText()).isEqualTo("limit");
        assertThat(gatepass.admin("GET", "/admin/apis?limit=abc", null).assertProblem(400)).contains("limit");
    }

    @Test
    void deleteApiWhenGrantedThenGrantsGoAndTokenRefused() {
        TestServer.GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String identifier = setup.identifier();
        String apiId = setup.apiId();
        App app = setup.app();
        gatepass.token(app.clientId(), app.secret(), identifier, null);

        assertThat(gatepass.admin("DELETE", "/admin/apis/" + apiId, null).status()).isEqualTo(204);

        assertThat(gatepass.admin("GET", "/admin/clients/" + app.clientId() + "/grants", null).json()).isEmpty();
        gatepass.tokenRequest(app, "audience", identifier).assertOAuthError(400, "invalid_target");
    }

    @Test
    void changesWhenMadeThenAuditedWithActorAndWithoutSecrets() throws Exception {
        App app = gatepass.createApp("audited", null);
        gatepass.admin("PATCH", "/admin/clients/" + app.clientId(), "{\"status\":\"blocked\"}");
        Response rotated = gatepass.admin("POST", "/admin/clients/" + app.clientId() + "/secrets", null);

        List<String> rows = new ArrayList<>();
        for (var event : gatepass.admin("GET", "/admin/audit?client_id=" + app.clientId(), null).json()) {
            if (event.get("type").asText().startsWith("client.")) {
                rows.add(0, event.get("actor").asText() + " " + event.get("type").asText() + " " + event.get("details"));
            }
        }
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("gatepass-admin client.created");
        assertThat(rows.get(1)).startsWith("gatepass-admin client.blocked").contains("\"before\"").contains("\"after\"");
        assertThat(rows.get(2)).startsWith("gatepass-admin client.secret.created");
        assertThat(String.join("\n", rows)).doesNotContain(app.secret())
                .doesNotContain(rotated.json().get("client_secret").asText());
    }
}
