package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit log streaming to a real HTTP collector (the JDK's HTTP server, checking each batch's HMAC as a SIEM would):
 * retried while the collector is down, with tokens issued meanwhile; every event delivered once it is up; resumed
 * after a restart from what was acknowledged.
 */
class AuditStreamTest {
    private static final String SECRET = "audit-stream-test-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private HttpServer collector;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/intake", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            attempts.incrementAndGet();
            int answer = status.get();
            // the collector's own credential, as a Splunk HEC or Datadog intake asks for one
            if (!"Splunk test-collector-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) answer = 403;
            if (!signed(exchange.getRequestHeaders().getFirst("Gatepass-Signature"), body)) {
                badSignatures.incrementAndGet();
                answer = 401;
            }
            if (answer == 200) {
                for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) received.add(JSON.readTree(line));
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    /** What a collector does with the shared secret: t=…,v1=HMAC-SHA256("t.body"), and a recent t. */
    private static boolean signed(String header, byte[] body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) return false;
        String t = header.substring(2, header.indexOf(','));
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return header.endsWith("v1=" + HexFormat.of().formatHex(mac.doFinal(body)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private ServerConfig config() {
        URI intake = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/intake?channel=gatepass");
        // one issuer across a restart (the port changes)
        return TestServer.config(dataDir).toBuilder().issuer("https://gatepass.stream.test")
                .auditStream(new ServerConfig.AuditStream(intake, SECRET, "Authorization: Splunk test-collector-token")).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(50);
        }
    }

    private List<String> receivedOfType(String type) {
        List<String> targets = new ArrayList<>();
        for (JsonNode event : received) if (event.path("type").asText().equals(type)) targets.add(event.path("target").asText());
        return targets;
    }

    @Test
    void streamWhenTheCollectorIsDownThenRetriedTokensGoOnAndEveryEventArrivesSignedOnceItIsUp() throws Exception {
        status.set(503);
        try (TestServer gatepass = TestServer.start(config())) {
            GrantedApp setup = gatepass.grantedApp(List.of("read"), "read");
            int issued = 0;
            for (int i = 0; i < 10; i++) {
                if (gatepass.tokenRequest(setup.app(), "audience", setup.identifier()).status() == 200) issued++;
            }
            await("two failed deliveries", () -> attempts.get() >= 2);
            assertThat(issued).as("tokens while the collector is down").isEqualTo(10);
            assertThat(received).isEmpty();
            assertThat(gatepass.get("/metrics").body()).as("counters shown before the first delivery")
                    .contains("gatepass_audit_stream_delivered_total 0.0");

            status.set(200);
            await("the API's creation and the ten tokens delivered", () -> receivedOfType("api.created").contains(setup.apiId())
                    && receivedOfType("token.issued").size() >= 10);

            assertThat(badSignatures.get()).isZero();
            List<Long> ids = received.stream().map(event -> event.path("id").asLong()).toList();
            assertThat(ids).as("in order, each once").isSorted().doesNotHaveDuplicates();
            assertThat(received.get(0).fieldNames()).toIterable()
                    .containsExactly("id", "occurred_at", "actor", "type", "target", "details");
            String metrics = gatepass.get("/metrics").body();
            assertThat(metrics).contains("gatepass_audit_stream_delivered_total").contains("gatepass_audit_stream_failures_total")
                    .contains("gatepass_audit_stream_lag_seconds");
        }
    }

    @Test
    void streamSettingsWhenPrintedThenNoSecretHeaderValueOrQuery() {
        String shown = config().auditStream().toString();

        assertThat(shown).doesNotContain(SECRET).doesNotContain("test-collector-token").doesNotContain("channel")
                .contains("/intake").contains("Authorization: (set)");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new ServerConfig.AuditStream(
                URI.create("https://logs.example.com"), SECRET, "Content-Length: 1"))).hasMessageContaining("Content-Length");
    }

    @Test
    void streamWhenTheServerRestartsThenItResumesAfterWhatTheCollectorAcknowledged() throws Exception {
        String before = TestServer.uniqueIdentifier();
        String after = TestServer.uniqueIdentifier();
        String beforeId;
        try (TestServer gatepass = TestServer.start(config())) {
            beforeId = gatepass.createApi(before, "x");
            await("the first API's creation delivered", () -> receivedOfType("api.created").contains(beforeId));
        }
        String afterId;
        try (TestServer restarted = TestServer.start(config())) {
            afterId = restarted.createApi(after, "x");
            await("the second API's creation delivered", () -> receivedOfType("api.created").contains(afterId));
        }

        assertThat(receivedOfType("api.created")).as("the first not sent again").containsOnlyOnce(beforeId);
        assertThat(received.stream().map(event -> event.path("id").asLong()).toList()).doesNotHaveDuplicates();
        // the first start's own events (the management API, the admin app) came before the stream's cursor was set:
        // the past is the export's, the stream carries what happens from then on
        assertThat(received.get(0).path("id").asLong()).isGreaterThan(1);
    }
}
