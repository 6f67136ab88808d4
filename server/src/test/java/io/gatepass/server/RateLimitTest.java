package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.limits.RateLimitPolicy;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-app token budgets, failed-authentication throttling, the concurrency bound and opt-in token reuse. */
class RateLimitTest {
    @TempDir
    Path dataDir;

    private TestServer start(RateLimitPolicy limits) {
        return TestServer.start(TestServer.config(dataDir).toBuilder().limits(limits).build());
    }

    @Test
    void budgetWhenAppHasSpentItThen429WithRetryAfterAndOtherAppsUnaffected() {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            GrantedApp greedy = gatepass.grantedApp(List.of("read"), "read");
            GrantedApp other = gatepass.grantedApp(List.of("read"), "read");
            Response limited = gatepass.admin("PATCH", "/admin/clients/" + greedy.app().clientId(), "{\"token_rate_limit\":3}");
            assertThat(limited.json().get("token_rate_limit").asInt()).isEqualTo(3);

            for (int i = 0; i < 3; i++) {
                assertThat(gatepass.tokenRequest(greedy.app(), "audience", greedy.identifier()).status()).isEqualTo(200);
            }
            Response refused = gatepass.tokenRequest(greedy.app(), "audience", greedy.identifier());

            assertThat(refused.status()).isEqualTo(429);
            // 3 a minute: the next token comes within 20 s
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 20L);
            assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
            assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");
            assertThat(refused.json().get("error_description").asText()).contains("3 tokens a minute");
            for (int i = 0; i < 10; i++) {
                assertThat(gatepass.tokenRequest(other.app(), "audience", other.identifier()).status()).isEqualTo(200);
            }
            assertThat(gatepass.get("/metrics").body())
                    .contains("gatepass_oauth_errors_total{error=\"too_many_requests\",route=\"/oauth/token\"} 1.0");

            // raising the limit gives the difference at once; null puts the app back on the server default
            gatepass.admin("PATCH", "/admin/clients/" + greedy.app().clientId(), "{\"token_rate_limit\":5}");
            assertThat(gatepass.tokenRequest(greedy.app(), "audience", greedy.identifier()).status()).isEqualTo(200);
            Response cleared = gatepass.admin("PATCH", "/admin/clients/" + greedy.app().clientId(), "{\"token_rate_limit\":null}");
            assertThat(cleared.json().get("token_rate_limit").isNull()).isTrue();
        }
    }

    @Test
    void tokenRateLimitWhenNotAPositiveWholeNumberThen400() {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            for (String bad : List.of("0", "-1", "1.5", "\"10\"", "1000001")) {
                Response response = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"x\",\"token_rate_limit\":" + bad + "}");
                assertThat(response.status()).as(bad).isEqualTo(400);
                assertThat(response.json().get("detail").asText()).contains("token_rate_limit");
            }
            Response reuse = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"x\",\"reuse_tokens\":\"yes\"}");
            assertThat(reuse.status()).isEqualTo(400);
            assertThat(reuse.json().get("detail").asText()).contains("reuse_tokens");
        }
    }

    @Test
    void wrongSecretsWhenAThousandForOneClientIdThenThrottledWithoutSlowingOtherApps() throws Exception {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            GrantedApp target = gatepass.grantedApp(List.of("read"), "read");
            GrantedApp bystander = gatepass.grantedApp(List.of("read"), "read");
            assertThat(gatepass.tokenRequest(bystander.app(), "audience", bystander.identifier()).status()).isEqualTo(200);
            App guess = new App(target.app().clientId(), "wrong-secret");

            AtomicInteger bystanderOk = new AtomicInteger();
            CompletableFuture<Void> bystanderLoad = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 100; i++) {
                    if (gatepass.tokenRequest(bystander.app(), "audience", bystander.identifier()).status() == 200) {
                        bystanderOk.incrementAndGet();
                    }
                }
            });
            int unauthorized = 0;
            int throttled = 0;
            Response last = null;
            for (int i = 0; i < 1_000; i++) {
                last = gatepass.tokenRequest(guess, "audience", target.identifier());
                if (last.status() == 401) unauthorized++;
                if (last.status() == 429) throttled++;
            }
            bystanderLoad.get();

            // 20 a minute are checked (a few more may trickle in as the bucket refills during the run)
            assertThat(unauthorized).isBetween(20, 25);
            assertThat(throttled).isEqualTo(1_000 - unauthorized);
            assertThat(last.json().get("error").asText()).isEqualTo("too_many_requests");
            assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 3L);
            assertThat(bystanderOk.get()).isEqualTo(100);
            // throttled attempts are not looked at, so they do not flood the audit log either
            // (the audit writer batches: the last failures may reach the store a moment after their answers)
            int checked = unauthorized;
            JsonNode audit = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?type=client.authentication_failed"
                    + "&client_id=" + target.app().clientId() + "&limit=100", null).json(), events -> events.size() >= checked);
            assertThat(audit.size()).isEqualTo(unauthorized);
            // from an address the app never authenticated from, even the right secret waits: the documented trade-off
            // (one more guess first spends what the bucket may have refilled since the loop, on a slow machine)
            gatepass.tokenRequest(guess, "audience", target.identifier());
            assertThat(gatepass.tokenRequest(target.app(), "audience", target.identifier()).status()).isEqualTo(429);
        }
    }

    @Test
    void failuresWhenOneAddressSpraysClientIdsThenTheAddressIsThrottledButNotAppsThatAuthenticatedFromIt() {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            GrantedApp known = gatepass.grantedApp(List.of("read"), "read");
            GrantedApp fresh = gatepass.grantedApp(List.of("read"), "read");
            assertThat(gatepass.tokenRequest(known.app(), "audience", known.identifier()).status()).isEqualTo(200);

            List<Integer> statuses = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 150; i++) {
                statuses.add(gatepass.tokenRequest(new App("made-up-" + UUID.randomUUID(), "guess")).status());
            }
            // the bucket refills at 100 a minute while the loop runs: on a slow machine a few more are checked
            double seconds = (System.nanoTime() - started) / 1e9;
            long refilled = (long) Math.ceil(seconds * 100 / 60) + 1;

            assertThat(statuses.subList(0, 100)).containsOnly(401);
            assertThat(statuses.subList(100, 150)).allMatch(status -> status == 401 || status == 429);
            assertThat(statuses.subList(100, 150).stream().filter(status -> status == 401).count())
                    .as("checked after the limit, in %.1f s", seconds).isLessThanOrEqualTo(refilled);
            Response refused = gatepass.tokenRequest(fresh.app(), "audience", fresh.identifier());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("error_description").asText()).contains("from this address");
            assertThat(gatepass.tokenRequest(known.app(), "audience", known.identifier()).status()).isEqualTo(200);
        }
    }

    @Test
    void concurrencyWhenEveryPermitAndQueuePlaceIsTakenThen503WithRetryAfter() throws Exception {
        try (TestServer gatepass = start(new RateLimitPolicy(0, 0, 0, 1, 0))) {
            // a request whose body never comes holds the only permit
            try (Socket slow = new Socket("127.0.0.1", gatepass.uri("/").getPort())) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 100\r\n\r\ngrant_type=").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200);

                Response refused = gatepass.get("/.well-known/jwks.json");

                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(refused.json().get("error").asText()).isEqualTo("temporarily_unavailable");
                assertThat(gatepass.send("GET", "/admin/keys", null, null).header("Content-Type")).isEqualTo("application/problem+json");
                // an overloaded server is alive, and its metrics say why
                assertThat(gatepass.get("/health/live").status()).isEqualTo(200);
                assertThat(gatepass.get("/metrics").status()).isEqualTo(200);
            }
            Thread.sleep(200);
            assertThat(gatepass.get("/.well-known/jwks.json").status()).isEqualTo(200);
        }
    }

    @Test
    void reuseWhenOptedInThenTheSameTokenUntilHalfItsLifeOrARevocation() {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            GrantedApp reuser = gatepass.grantedApp(List.of("read", "write"), "read", "write");
            Response optedIn = gatepass.admin("PATCH", "/admin/clients/" + reuser.app().clientId(),
                    "{\"reuse_tokens\":true,\"token_rate_limit\":3}");
            assertThat(optedIn.json().get("reuse_tokens").asBoolean()).isTrue();

            Response first = gatepass.tokenRequest(reuser.app(), "audience", reuser.identifier());
            List<String> again = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Response response = gatepass.tokenRequest(reuser.app(), "audience", reuser.identifier());
                assertThat(response.status()).as(response.body()).isEqualTo(200); // reuse spends no budget
                assertThat(response.json().get("expires_in").asLong()).isLessThanOrEqualTo(first.json().get("expires_in").asLong());
                again.add(response.json().get("access_token").asText());
            }
            assertThat(again).containsOnly(first.json().get("access_token").asText());

            // another scope set is another request
            Response narrower = gatepass.tokenRequest(reuser.app(), "audience", reuser.identifier(), "scope", "read");
            assertThat(narrower.json().get("access_token").asText()).isNotEqualTo(first.json().get("access_token").asText());

            // a revocation voids the held token: the next request gets a new one
            assertThat(gatepass.admin("POST", "/admin/clients/" + reuser.app().clientId() + "/revoke-tokens", null).status())
                    .isEqualTo(204);
            Response afterRevocation = gatepass.tokenRequest(reuser.app(), "audience", reuser.identifier());
            assertThat(afterRevocation.status()).as(afterRevocation.body()).isEqualTo(200);
            assertThat(afterRevocation.json().get("access_token").asText()).isNotEqualTo(first.json().get("access_token").asText());
            // six requests, three tokens minted: the budget of 3 is spent, reuse or not
            assertThat(gatepass.tokenRequest(reuser.app(), "audience", reuser.identifier(), "scope", "write").status())
                    .isEqualTo(429);
            assertThat(gatepass.get("/metrics").body()).contains("gatepass_tokens_reused_total{api=\"" + reuser.identifier()
                    + "\",client_id=\"" + reuser.app().clientId() + "\"} 5.0");

            GrantedApp plain = gatepass.grantedApp(List.of("read"), "read");
            String one = gatepass.tokenRequest(plain.app(), "audience", plain.identifier()).json().get("access_token").asText();
            String two = gatepass.tokenRequest(plain.app(), "audience", plain.identifier()).json().get("access_token").asText();
            assertThat(one).isNotEqualTo(two);
        }
    }

    @Test
    void assertionsWhenAnAddressSpraysMadeUpClientIdsThenOnceThrottledTheRegistryIsNotAskedAnyMore() throws Exception {
        try (TestServer gatepass = start(RateLimitPolicy.DEFAULT)) {
            java.util.function.IntSupplier misses = () -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "cache_gets_total\\{cache=\"clients\",result=\"miss\"\\} (\\d+)").matcher(gatepass.get("/metrics").body());
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            };
            Assertions.AppKey key = Assertions.generate("ES256", "k");
            for (int i = 0; i < 120; i++) {
                String clientId = "made-up-" + UUID.randomUUID();
                String assertion = Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer() + "/oauth/token",
                        java.time.Instant.now()).build());
                gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "client_id", clientId,
                        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion));
            }
            int before = misses.getAsInt();
            int admitted = 0;
            int throttled = 0;
            for (int i = 0; i < 30; i++) {
                String clientId = "made-up-" + UUID.randomUUID();
                String assertion = Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer() + "/oauth/token",
                        java.time.Instant.now()).build());
                int status = gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "client_id", clientId,
                        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion", assertion)).status();
                if (status == 401) admitted++;
                if (status == 429) throttled++;
            }
            // the bucket refills as the requests run, letting a few through; the throttled ones never reach the registry
            assertThat(throttled).isGreaterThanOrEqualTo(15);
            assertThat(misses.getAsInt() - before).isLessThanOrEqualTo(admitted);
        }
    }
}
