package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/audit}, token and failed-authentication events written in batches, and last_used_at. */
class AuditTest extends SharedServer {
    /** Token events are written off the request path; wait for them, but not forever. */
    static JsonNode eventually(Supplier<JsonNode> query, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last = query.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = query.get();
        }
        return last;
    }

    static JsonNode audit(TestServer server, String query) {
        Response response = server.admin("GET", "/admin/audit?" + query, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void auditWhenTokenIssuedThenRecordedWithJtiScopeAndAudience() {
        GrantedApp granted = gatepass.grantedApp(List.of("read", "write"), "read");
        String token = gatepass.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);

        JsonNode events = eventually(() -> audit(gatepass, "type=token.issued&client_id=" + granted.app().clientId()),
                list -> list.size() == 1);

        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("actor").asText()).isEqualTo(granted.app().clientId());
        assertThat(event.get("target").asText()).isEqualTo(granted.identifier());
        assertThat(event.get("details").get("jti").asText()).isEqualTo(RevocationTest.jti(token));
        assertThat(event.get("details").get("scope").asText()).isEqualTo("read");
        assertThat(event.get("details").get("secret_id").asText()).startsWith("sec_");
        assertThat(event.toString()).doesNotContain(token).doesNotContain(granted.app().secret());
    }

    @Test
    void auditWhenClientAuthenticationFailsThenRecordedWithReasonButNotThePresentedSecret() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String guessed = "gps_guessed-secret-that-must-not-be-logged";
        gatepass.tokenRequest(new App(granted.app().clientId(), guessed)).assertOAuthError(401, "invalid_client");
        gatepass.introspect(new App(granted.app().clientId(), guessed), "x").assertOAuthError(401, "invalid_client");

        JsonNode events = eventually(() -> audit(gatepass,
                "type=client.authentication_failed&client_id=" + granted.app().clientId()), list -> list.size() == 2);

        assertThat(events).hasSize(2);
        Set<String> endpoints = new HashSet<>();
        for (JsonNode event : events) {
            assertThat(event.get("details").get("reason").asText()).isEqualTo("wrong_secret");
            assertThat(event.get("details").get("remote_address").asText()).isNotBlank();
            endpoints.add(event.get("details").get("endpoint").asText());
        }
        assertThat(endpoints).containsExactlyInAnyOrder("token", "introspect");
        assertThat(events.toString()).doesNotContain(guessed);
    }

    @Test
    void auditWhenFilteredAndPagedThenNewestFirstAndFiltersApply() {
        Instant before = Instant.now().minusSeconds(1);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) created.add(gatepass.createApp("paged-" + i, null).clientId());

        JsonNode first = audit(gatepass, "type=client.created&limit=2");
        JsonNode second = audit(gatepass, "type=client.created&limit=2&offset=2");

        assertThat(first).hasSize(2);
        assertThat(first.get(0).get("target").asText()).isEqualTo(created.get(2));
        assertThat(first.get(1).get("target").asText()).isEqualTo(created.get(1));
        assertThat(second.get(0).get("target").asText()).isEqualTo(created.get(0));
        assertThat(first.get(0).get("actor").asText()).isEqualTo(TestServer.ADMIN_ID);
        assertThat(first.get(0).get("details").get("after").get("client_name").asText()).isEqualTo("paged-2");
        assertThat(audit(gatepass, "type=client.created&since=" + Instant.now().plusSeconds(60))).isEmpty();
        assertThat(audit(gatepass, "type=client.created&until=" + before)).allSatisfy(event ->
                assertThat(event.get("target").asText()).isNotIn(created));
        assertThat(audit(gatepass, "client_id=" + created.get(0))).hasSize(1);
    }

    @Test
    void auditWhenQueryInvalidOrScopeMissingThenProblems() {
        assertThat(gatepass.admin("GET", "/admin/audit?since=yesterday", null).assertProblem(400)).contains("since");
        assertThat(gatepass.admin("GET", "/admin/audit?limit=0", null).assertProblem(400)).contains("limit");
        assertThat(gatepass.admin("GET", "/admin/audit?type=a&type=b", null).assertProblem(400)).contains("type");
        App reader = gatepass.createApp("no audit scope", null);
        String adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        gatepass.grant(reader.clientId(), adminApiId, "clients:read");
        String token = gatepass.token(reader.clientId(), reader.secret(), "urn:gatepass:admin", null);
        assertThat(gatepass.adminAs(token, "GET", "/admin/audit", null).assertProblem(403)).contains("audit:read");
    }

    @Test
    void lastUsedAtWhenAppAuthenticatesThenSetOnAppAndTheSecretItUsed() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
        String clientPath = "/admin/clients/" + granted.app().clientId();
        assertThat(gatepass.admin("GET", clientPath, null).json().get("last_used_at").isNull()).isTrue();
        String unusedSecretId = gatepass.admin("POST", clientPath + "/secrets", null).json().get("id").asText();

        gatepass.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);

        JsonNode app = eventually(() -> gatepass.admin("GET", clientPath, null).json(),
                node -> !node.get("last_used_at").isNull());
        assertThat(Instant.parse(app.get("last_used_at").asText())).isAfter(Instant.now().minusSeconds(60));
        JsonNode secrets = gatepass.admin("GET", clientPath + "/secrets", null).json();
        for (JsonNode secret : secrets) {
            boolean unused = secret.get("id").asText().equals(unusedSecretId);
            assertThat(secret.get("last_used_at").isNull()).as(secret.toString()).isEqualTo(unused);
        }
    }

    @Test
    void keysWhenListedThenCurrentKeyWithoutPrivateMaterial() {
        Response response = gatepass.admin("GET", "/admin/keys", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode key = response.json().get(0);
        assertThat(key.get("status").asText()).isEqualTo("current");
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        assertThat(gatepass.get("/.well-known/jwks.json").json().get("keys").get(0).get("kid").asText())
                .isEqualTo(key.get("kid").asText());
        assertThat(response.body()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("private");
    }

    @Test
    void apisWhenListedByIdentifierThenOnlyThatApi() {
        GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");

        JsonNode found = gatepass.admin("GET", "/admin/apis?identifier=" + granted.identifier(), null).json();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id").asText()).isEqualTo(granted.apiId());
        assertThat(gatepass.admin("GET", "/admin/apis?identifier=urn:none", null).json()).isEmpty();
    }

    @Test
    void auditWhenBurstOfTenThousandTokensAndNormalStopThenEveryIssuanceRecorded(@TempDir Path burstDir) throws Exception {
        int requests = 10_000;
        GrantedApp granted;
        try (TestServer server = TestServer.start(burstDir)) {
            granted = server.grantedApp(List.of("read"), "read");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    statuses.add(pool.submit(() -> server.tokenRequest(granted.app(), "audience", granted.identifier()).status()));
                }
                for (Future<Integer> status : statuses) assertThat(status.get()).isEqualTo(200);
            } finally {
                pool.shutdown();
            }
        } // a normal stop: the batch writer must flush everything still queued

        try (TestServer restarted = TestServer.start(burstDir)) {
            int counted = 0;
            Set<String> jtis = new HashSet<>();
            for (int offset = 0; ; offset += 1000) {
                JsonNode page = audit(restarted, "type=token.issued&client_id=" + granted.app().clientId()
                        + "&limit=1000&offset=" + offset);
                if (page.isEmpty()) break;
                counted += page.size();
                page.forEach(event -> jtis.add(event.get("details").get("jti").asText()));
            }
            assertThat(counted).isEqualTo(requests);
            assertThat(jtis).hasSize(requests);
        }
    }
}
