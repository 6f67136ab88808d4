package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No caller can give, keep or take over more management power than it holds: an app with only
 * {@code clients:write} (or only {@code apis:write}) tries every path that could widen its power, through HTTP.
 */
class ManagementPowerTest extends SharedServer {
    static String adminApiId;

    @BeforeAll
    static void start() {
        adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
    }


    /** A new app granted these management scopes, and a token carrying them. */
    private static String managerToken(App app, String... scopes) {
        gatepass.grant(app.clientId(), adminApiId, scopes);
        return gatepass.token(app.clientId(), app.secret(), "urn:gatepass:admin", null);
    }

    private static Response as(String token, String method, String path, String body) {
        return gatepass.adminAs(token, method, path, body);
    }

    @Test
    void clientsWriterWhenGrantingManagementScopesItLacksThen403ForItselfAndForAppsItCreates() {
        App writer = gatepass.createApp("writer", null);
        String token = managerToken(writer, "clients:write", "clients:read");
        App created = new App(as(token, "POST", "/admin/clients", "{\"client_name\":\"minion\"}").json()
                .get("client_id").asText(), null);

        String self = as(token, "PUT", "/admin/clients/" + writer.clientId() + "/grants/" + adminApiId,
                "{\"scopes\":[\"clients:write\",\"clients:read\",\"keys:write\"]}").assertProblem(403);
        assertThat(self).contains("keys:write");
        as(token, "PUT", "/admin/clients/" + created.clientId() + "/grants/" + adminApiId,
                "{\"scopes\":[\"apis:write\"]}").assertProblem(403);
        // within its own power it may grant
        assertThat(as(token, "PUT", "/admin/clients/" + created.clientId() + "/grants/" + adminApiId,
                "{\"scopes\":[\"clients:read\"]}").status()).isEqualTo(201);

        JsonNode grants = gatepass.admin("GET", "/admin/clients/" + writer.clientId() + "/grants", null).json();
        assertThat(grants.get(0).get("scopes").toString()).doesNotContain("keys:write");
    }

    @Test
    void clientsWriterWhenTouchingTheAdminAppThen403AndNothingChanged() throws Exception {
        App writer = gatepass.createApp("writer", null);
        String token = managerToken(writer, "clients:write", "clients:read");
        String admin = "/admin/clients/" + TestServer.ADMIN_ID;
        String secretId = gatepass.admin("GET", admin + "/secrets", null).json().get(0).get("id").asText();
        String jwks = "{\"keys\":[" + Assertions.generate("ES256", "evil").publicJwk().toJSONString() + "]}";

        List<Response> refused = List.of(
                as(token, "POST", admin + "/secrets", null),
                as(token, "DELETE", admin + "/secrets/" + secretId, null),
                as(token, "PATCH", admin, "{\"status\":\"blocked\"}"),
                as(token, "PATCH", admin, "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}"),
                as(token, "PATCH", admin, "{\"token_rate_limit\":1}"),
                as(token, "POST", admin + "/revoke-tokens", null),
                as(token, "DELETE", admin + "/grants/" + adminApiId, null),
                as(token, "PUT", admin + "/grants/" + adminApiId, "{\"scopes\":[\"clients:read\"]}"),
                as(token, "DELETE", admin, null));

        assertThat(refused).allSatisfy(response -> assertThat(response.assertProblem(403)).contains("management scopes"));
        assertThat(refused.get(0).body()).doesNotContain("client_secret");
        // the admin app is as it was: its secret signs in, its grant is whole
        assertThat(gatepass.token(TestServer.ADMIN_ID, TestServer.ADMIN_SECRET, "urn:gatepass:admin", null)).isNotBlank();
        assertThat(gatepass.admin("GET", admin + "/grants/" + adminApiId, null).json().get("scopes").size()).isEqualTo(7);
        assertThat(gatepass.admin("GET", admin + "/secrets", null).json().size()).isEqualTo(1);
        // each refusal is audited with the caller and the target
        JsonNode events = waitForAudit(writer.clientId(), refused.size());
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("actor").asText()).isEqualTo(writer.clientId());
            assertThat(event.get("target").asText()).isEqualTo(TestServer.ADMIN_ID);
        });
    }

    @Test
    void clientsWriterWhenChangingAnAppWithLessOrEqualPowerThenAllowed() {
        App writer = gatepass.createApp("writer", null);
        String token = managerToken(writer, "clients:write", "clients:read");
        App reader = gatepass.createApp("reader", null);
        gatepass.grant(reader.clientId(), adminApiId, "clients:read");
        App business = gatepass.createApp("business", null);

        assertThat(as(token, "POST", "/admin/clients/" + reader.clientId() + "/secrets", null).status()).isEqualTo(201);
        assertThat(as(token, "PATCH", "/admin/clients/" + business.clientId(), "{\"status\":\"blocked\"}").status())
                .isEqualTo(200);
        assertThat(as(token, "POST", "/admin/clients/" + writer.clientId() + "/secrets", null).status()).isEqualTo(201);
        assertThat(as(token, "DELETE", "/admin/clients/" + reader.clientId(), null).status()).isEqualTo(204);
    }

    @Test
    void clientsWriterWhenAppHoldsAScopeItLacksThenEveryChangeIs403() {
        App writer = gatepass.createApp("writer", null);
        String token = managerToken(writer, "clients:write");
        App keysAdmin = gatepass.createApp("keys-admin", null);
        gatepass.grant(keysAdmin.clientId(), adminApiId, "keys:write");
        String path = "/admin/clients/" + keysAdmin.clientId();

        assertThat(as(token, "PATCH", path, "{\"client_name\":\"renamed\"}").assertProblem(403)).contains("keys:write");
        as(token, "DELETE", path + "/grants/" + adminApiId, null).assertProblem(403);
        as(token, "DELETE", path, null).assertProblem(403);
        assertThat(gatepass.admin("GET", path, null).json().get("client_name").asText()).isEqualTo("keys-admin");
    }

    @Test
    void apisWriterWhenChangingTheManagementApiThen403ButItsNameMayChange() {
        App writer = gatepass.createApp("api-writer", null);
        String token = managerToken(writer, "apis:write", "apis:read");
        String path = "/admin/apis/" + adminApiId;

        for (String body : List.of("{\"token_lifetime\":86400}", "{\"signing_alg\":\"ES256\"}", "{\"token_profile\":\"jwt\"}",
                "{\"scopes\":[\"apis:read\"]}")) {
            assertThat(as(token, "PATCH", path, body).assertProblem(403)).as(body).contains("read-only");
        }
        JsonNode api = gatepass.admin("GET", path, null).json();
        assertThat(api.get("token_lifetime").asInt()).isEqualTo(3600);
        assertThat(api.get("signing_alg").asText()).isEqualTo("RS256");
        Response renamed = as(token, "PATCH", path, "{\"name\":\"Management\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        as(token, "DELETE", path, null).assertProblem(409);
    }

    @Test
    void apisWriterWhenRegisteringLookAlikeIdentifiersThenRefused() {
        App writer = gatepass.createApp("api-writer", null);
        String token = managerToken(writer, "apis:write");
        String orders = TestServer.uniqueIdentifier();
        assertThat(as(token, "POST", "/admin/apis", "{\"identifier\":\"" + orders + "\",\"name\":\"orders\"}").status())
                .isEqualTo(201);

        Map<String, Integer> lookAlikes = Map.of(
                "URN:GATEPASS:ADMIN", 409,
                "urn:gatepass:admin/", 409,
                "Urn:Gatepass:Admin//", 409,
                "urn:gatepass:\u200badmin", 400,
                "urn:gatepass:admin\u202e", 400,
                "urn:gatepass:ad\u00admin", 400,
                orders + "/", 409,
                orders.toUpperCase(java.util.Locale.ROOT), 409,
                // "é" decomposed (NFD) is refused as not NFC; the composed form is the same API's look-alike below
                "https://caf\u0065\u0301.example.com", 400);
        lookAlikes.forEach((identifier, status) -> {
            Response response = as(token, "POST", "/admin/apis", TestServer.JSON.createObjectNode()
                    .put("identifier", identifier).put("name", "look-alike").toString());
            assertThat(response.status()).as(identifier + ": " + response.body()).isEqualTo(status);
            assertThat(response.json().get("detail").asText()).contains("identifier");
        });
    }

    private static JsonNode waitForAudit(String actor, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode events = gatepass.admin("GET", "/admin/audit?type=management.refused&client_id=" + actor, null).json();
            if (events.size() >= expected || System.nanoTime() > deadline) {
                assertThat(events.size()).isEqualTo(expected);
                return events;
            }
            Thread.sleep(100);
        }
    }
}
