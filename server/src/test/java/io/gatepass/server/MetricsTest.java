package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} in the Prometheus text format. */
class MetricsTest {
    @TempDir
    Path dataDir;

    @Test
    void metricsWhenScrapedThenTokensErrorsFailuresRoutesCachesAndJvm() {
        try (TestServer gatepass = TestServer.start(dataDir)) {
            GrantedApp granted = gatepass.grantedApp(List.of("read"), "read");
            gatepass.tokenRequest(granted.app(), "audience", granted.identifier());
            gatepass.tokenRequest(new TestServer.App(granted.app().clientId(), "wrong"), "audience", granted.identifier());
            gatepass.admin("GET", "/admin/clients/" + granted.app().clientId(), null);

            Response metrics = gatepass.get("/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            String text = metrics.body();
            assertThat(text).contains("gatepass_tokens_issued_total{alg=\"RS256\",api=\"" + granted.identifier()
                    + "\",client_id=\"" + granted.app().clientId() + "\"} 1.0");
            assertThat(text).contains("gatepass_client_authentication_failures_total{reason=\"wrong_secret\"} 1.0");
            assertThat(text).contains("gatepass_oauth_errors_total{error=\"invalid_client\",route=\"/oauth/token\"} 1.0");
            assertThat(text).contains("route=\"/admin/clients/{id}\"").doesNotContain("route=\"/admin/clients/" + granted.app().clientId());
            assertThat(text).contains("cache_gets_total{cache=\"clients\"", "gatepass_audit_queue", "jvm_memory_used_bytes",
                    "process_uptime_seconds");
            assertThat(text).doesNotContain(granted.app().secret()).doesNotContain(TestServer.ADMIN_SECRET);
        }
    }
}
