package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's export as JSON lines, and its retention: events older than 90 days are removed in batches. */
class AuditRetentionTest {
    @TempDir
    Path dataDir;

    private static List<JsonNode> lines(TestServer.Response export) throws Exception {
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> events = new ArrayList<>();
        for (String line : export.body().split("\n")) if (!line.isBlank()) events.add(TestServer.JSON.readTree(line));
        return events;
    }

    @Test
    void auditWhenExportedThenEveryEventOldestFirstAndAfterTheRetentionTheOldOnesAreGone() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestServer gatepass = TestServer.start(dataDir, clock)) {
            String old = TestServer.uniqueIdentifier();
            gatepass.createApi(old, "read");
            AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?type=api.created", null).json(),
                    events -> events.toString().contains(old));
            List<JsonNode> first = lines(gatepass.get("/admin/audit/export", "Authorization", "Bearer " + gatepass.adminToken()));
            assertThat(first.toString()).contains(old, "api.created");
            assertThat(first).extracting(e -> e.get("id").asLong()).isSorted();
            assertThat(gatepass.get("/admin/audit/export?since=2999-01-01T00:00:00Z", "Authorization",
                    "Bearer " + gatepass.adminToken()).body()).isEmpty();
            assertThat(gatepass.get("/admin/audit/export").status()).isEqualTo(401);

            clock.advance(Duration.ofDays(91));
            gatepass.forgetAdminToken(); // the old one expired with the clock
            String recent = TestServer.uniqueIdentifier();
            gatepass.createApi(recent, "read");
            AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?type=api.created", null).json(),
                    events -> events.toString().contains(recent));
            int removed = gatepass.server.pruneAuditNow();
            assertThat(removed).isGreaterThanOrEqualTo(first.size());
            List<JsonNode> after = lines(gatepass.get("/admin/audit/export", "Authorization", "Bearer " + gatepass.adminToken()));
            assertThat(after.toString()).contains(recent).doesNotContain(old);
            assertThat(after).allMatch(e -> !e.get("occurred_at").asText().startsWith(first.get(0).get("occurred_at").asText()
                    .substring(0, 10)));
        }
    }
}
