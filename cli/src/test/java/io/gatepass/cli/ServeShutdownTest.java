package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatepass serve} as its own process: stopped with SIGTERM in the middle of a token load; what it logs. */
class ServeShutdownTest {
    private static final String SECRET = "shutdown-test-bootstrap-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void serveWhenSigtermDuringTokenLoadThenStopsInTimeAndEveryIssuedTokenIsAudited() throws Exception {
        int port = freePort();
        Process serve = serve(port, java.util.Map.of(), "--token-rate-limit", "0");
        String base = "http://127.0.0.1:" + port;
        awaitReady(base, serve);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("gatepass-admin:" + SECRET).getBytes());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger issued = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            load.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=urn%3Agatepass%3Aadmin"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) issued.incrementAndGet();
                    } catch (Exception e) {
                        // the server is going away: refused connections are expected
                    }
                }
            }));
        }
        Thread.sleep(1500);

        serve.destroy(); // SIGTERM
        boolean exited = serve.waitFor(30, TimeUnit.SECONDS);
        running.set(false);
        for (Thread thread : load) thread.join();

        assertThat(exited).as("stopped within 30 s").isTrue();
        // standard output is for the operator: the ready line and nothing of the logging system's own
        String out = Files.readString(dataDir.resolve("serve.out"));
        assertThat(out).contains("Gatepass is ready at http://").doesNotContain("|-INFO").doesNotContain("|-WARN");
        // standard error: one text line per event, the access log among them
        List<String> log = Files.readAllLines(dataDir.resolve("serve.err"));
        assertThat(log).isNotEmpty();
        assertThat(log.stream().filter(line -> !line
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN ) \\[.+\\] \\S+ - .+")))
                .as("lines of standard error that are not one log event").isEmpty();
        assertThat(log).anyMatch(line -> line.contains(" gatepass.access - 127.0.0.1 POST /oauth/token 200 "));
        // one stop, in order: the web server (its requests finished) before the audit writer and the store; not
        // Helidon's own JVM hook in parallel, which let the store close under requests still running
        assertThat(log).noneMatch(line -> line.contains("[helidon-shutdown-thread]"));
        int webServerStopped = indexOf(log, "[gatepass-shutdown] i.h.webserver.LoomServer - Helidon WebServer stopped all channels");
        assertThat(webServerStopped).as("the web server stopped by the stop").isNotNegative()
                .isLessThan(indexOf(log, "[gatepass-shutdown] i.g.s.GatepassServer - Gatepass stopped"));
        assertThat(issued.get()).as("tokens were issued before the stop").isGreaterThan(50);
        try (GatepassServer again = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build())) {
            String admin = "http://127.0.0.1:" + again.port();
            String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin + "/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=urn%3Agatepass%3Aadmin"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
            int audited = 0;
            for (int offset = 0; ; offset += 1000) {
                JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin
                                + "/admin/audit?type=token.issued&client_id=gatepass-admin&limit=1000&offset=" + offset))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
                if (page.isEmpty()) break;
                audited += page.size();
            }
            // every token a client received has its event (tokens minted as the connection closed may add a few)
            assertThat(audited).isGreaterThanOrEqualTo(issued.get());
        }
    }

    @Test
    void serveWhenJsonLogFormatThenEveryLineOfStandardErrorIsAJsonEvent() throws Exception {
        int port = freePort();
        Process serve = serve(port, java.util.Map.of("GATEPASS_LOG_FORMAT", "json", "GATEPASS_ACCESS_LOG", "INFO"));
        awaitReady("http://127.0.0.1:" + port, serve);
        serve.destroy();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("serve.err"))) events.add(JSON.readTree(line));
        assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event.has("level") && event.has("loggerName")
                && event.has("formattedMessage") && event.has("timestamp")).as(event.toString()).isTrue());
        assertThat(events).anyMatch(event -> event.get("loggerName").asText().equals("gatepass.access")
                && event.get("formattedMessage").asText().startsWith("127.0.0.1 GET /health/ready "));
        assertThat(events).anyMatch(event -> event.get("formattedMessage").asText().startsWith("Gatepass listening on"));
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) return i;
        }
        return -1;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process serve(int port, java.util.Map<String, String> env, String... flags) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), GatepassCommand.class.getName(), "serve", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dataDir.resolve("serve.out").toFile()).redirectError(dataDir.resolve("serve.err").toFile());
        builder.environment().remove("GATEPASS_LOG_LEVEL");
        builder.environment().put("GATEPASS_BOOTSTRAP_ADMIN_SECRET", SECRET);
        builder.environment().putAll(env);
        return builder.start();
    }

    private void awaitReady(String base, Process serve) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ready(base)) {
            assertThat(serve.isAlive()).as("server running").isTrue();
            assertThat(System.nanoTime()).as("server ready").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private boolean ready(String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
