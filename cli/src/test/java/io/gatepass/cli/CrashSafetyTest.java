package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.gatepass.server.PostgresCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, on the embedded store and on PostgreSQL: a server process under mixed load (management writes,
 * token requests, key rotations) is killed with SIGKILL, three times in a row; after each restart every management
 * change that was answered 2xx is there with its audit record and tokens issued before verify; at the end the
 * SQLite database passes {@code PRAGMA integrity_check}. PostgreSQL is a throwaway cluster (skipped without its
 * binaries, unless GATEPASS_REQUIRE_POSTGRES is set, as in CI).
 */
class CrashSafetyTest {
    private static final String ADMIN_SECRET = "crash-test-bootstrap-secret-0123456789-abcd";
    private static final String ISSUER = "http://gatepass.crash.test";
    private static final Pattern READY = Pattern.compile("ready at http://[^:]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private record Running(Process process, int port) {
    }

    private static final String MASTER_KEY = "Y3Jhc2gtdGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODk=";

    private Running start(Path data, String databaseUrl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                GatepassCommand.class.getName(), "serve", "--port", "0", "--issuer", ISSUER, "--data-dir", data.toString(),
                "--token-rate-limit", "0"));
        if (databaseUrl != null) command.addAll(List.of("--database-url", databaseUrl));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GATEPASS_BOOTSTRAP_ADMIN_SECRET", ADMIN_SECRET);
        if (databaseUrl != null) builder.environment().put("GATEPASS_MASTER_KEY", MASTER_KEY);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) { /* keep the pipe open */ }
                    } catch (java.io.IOException ignored) {
                        // the process is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Running(process, Integer.parseInt(m.group(1)));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start");
    }

    private HttpResponse<String> call(int port, String method, String path, String contentType, String body,
                                      String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminToken(int port) throws Exception {
        HttpResponse<String> answer = call(port, "POST", "/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&audience=urn:gatepass:admin", basic("gatepass-admin", ADMIN_SECRET));
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void serverWhenKilledUnderLoadThenEveryAnsweredChangeSurvivesWithItsAuditRecordAndTheStoreIsSound(String store) throws Exception {
        Path data = dir.resolve("data");
        String databaseUrl = null;
        if (store.equals("postgresql")) {
            if (PostgresCluster.binaries() == null) {
                if (System.getenv("GATEPASS_REQUIRE_POSTGRES") != null) throw new AssertionError("no PostgreSQL server binaries");
                org.junit.jupiter.api.Assumptions.abort("no PostgreSQL server binaries here: the PostgreSQL crash run is skipped");
            }
            databaseUrl = PostgresCluster.shared().databaseUrl(data);
        }
        Set<String> answeredApis = ConcurrentHashMap.newKeySet();
        List<String> tokens = new ArrayList<>();
        String[] app = new String[2];
        for (int round = 0; round < 3; round++) {
            Running server = start(data, databaseUrl);
            String admin = "Bearer " + adminToken(server.port());
            if (round == 0) {
                JsonNode made = JSON.readTree(call(server.port(), "POST", "/admin/clients", "application/json",
                        "{\"client_name\":\"loaded\"}", admin).body());
                app[0] = made.get("client_id").asText();
                app[1] = made.get("client_secret").asText();
                String api = JSON.readTree(call(server.port(), "POST", "/admin/apis", "application/json",
                        "{\"identifier\":\"https://crash.example.com\",\"name\":\"crash\",\"scopes\":[\"read\"]}", admin)
                        .body()).get("id").asText();
                call(server.port(), "PUT", "/admin/clients/" + app[0] + "/grants/" + api, "application/json",
                        "{\"scopes\":[\"read\"]}", admin);
            } else {
                // after the restart: what was answered is there, with its audit record, and old tokens verify
                JsonNode apis = JSON.readTree(call(server.port(), "GET", "/admin/apis?limit=1000", null, null, admin).body());
                List<String> present = apis.findValuesAsText("identifier");
                assertThat(present).containsAll(answeredApis);
                JsonNode audit = JSON.readTree(call(server.port(), "GET", "/admin/audit?type=api.created&limit=1000", null, null,
                        admin).body());
                assertThat(audit.size()).isGreaterThanOrEqualTo(answeredApis.size() + 1);
                for (String token : tokens) {
                    JsonNode verdict = JSON.readTree(call(server.port(), "POST", "/oauth/introspect",
                            "application/x-www-form-urlencoded", "token=" + token, basic(app[0], app[1])).body());
                    assertThat(verdict.get("active").asBoolean()).as("a token issued before the crash").isTrue();
                }
            }
            AtomicBoolean running = new AtomicBoolean(true);
            int port = server.port();
            int at = round;
            Thread writer = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    String identifier = "https://crash-" + at + "-" + i + ".example.com";
                    try {
                        HttpResponse<String> made = call(port, "POST", "/admin/apis", "application/json",
                                "{\"identifier\":\"" + identifier + "\",\"name\":\"n\",\"scopes\":[\"read\"]}", admin);
                        if (made.statusCode() == 201) answeredApis.add(identifier);
                        if (i % 10 == 0) call(port, "POST", "/admin/keys/rotate", "application/json", "{}", admin);
                    } catch (Exception e) {
                        return; // killed
                    }
                }
            });
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> issued = call(port, "POST", "/oauth/token", "application/x-www-form-urlencoded",
                                "grant_type=client_credentials&audience=https%3A%2F%2Fcrash.example.com", basic(app[0], app[1]));
                        if (issued.statusCode() == 200 && tokens.size() < 5 * (at + 1)) {
                            synchronized (tokens) {
                                tokens.add(JSON.readTree(issued.body()).get("access_token").asText());
                            }
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            writer.start();
            caller.start();
            Thread.sleep(1_500);
            server.process().destroyForcibly(); // SIGKILL, mid-load
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            running.set(false);
            writer.join(10_000);
            caller.join(10_000);
        }
        assertThat(answeredApis).hasSizeGreaterThan(3);
        if (databaseUrl != null) {
            // the changes are in PostgreSQL itself (which checks its own pages): every answered API is a row there
            try (Connection postgres = DriverManager.getConnection(databaseUrl);
                 ResultSet rows = postgres.createStatement().executeQuery("SELECT identifier FROM apis")) {
                Set<String> stored = new java.util.HashSet<>();
                while (rows.next()) stored.add(rows.getString(1));
                assertThat(stored).containsAll(answeredApis);
            }
            return;
        }
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gatepass.db"));
             ResultSet integrity = sqlite.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertThat(integrity.next()).isTrue();
            assertThat(integrity.getString(1)).isEqualTo("ok");
        }
    }
}
