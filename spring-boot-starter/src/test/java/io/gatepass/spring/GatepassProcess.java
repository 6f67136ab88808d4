package io.gatepass.spring;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Gatepass server for the Spring tests, run as its own process ({@code cli/target/gatepass.jar} on a JDK of
 * 21 or later, found as {@code ./gatepass} finds one) while the Spring apps run in the test's JVM (a JDK 17 for
 * Boot 3.5), and its management API called over HTTP as its admin app. The Spring example's test uses it too
 * (this module's test jar).
 */
public final class GatepassProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path dataDir;
    private final URI issuer;
    private final String adminSecret;
    private final GatepassTokenSource admin;

    private GatepassProcess(Process process, Path dataDir, URI issuer, String adminSecret) {
        this.process = process;
        this.dataDir = dataDir;
        this.issuer = issuer;
        this.adminSecret = adminSecret;
        this.admin = GatepassTokenSource.builder().issuer(issuer)
                .auth(ClientAuth.clientSecretBasic("gatepass-admin", adminSecret)).audience("urn:gatepass:admin").build();
    }

    /** @param flags more {@code gatepass serve} flags */
    public static GatepassProcess start(String... flags) throws Exception {
        Path root = Path.of(System.getProperty("gatepass.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("cli/target/gatepass.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the server first (./mvnw install -DskipTests -pl cli -am)");
        }
        Process find = new ProcessBuilder("bash", "-c", ". scripts/find-jdk.sh >/dev/null && printf %s \"$JAVA_HOME\"")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String javaHome = new String(find.getInputStream().readAllBytes()).trim();
        if (find.waitFor() != 0) throw new IllegalStateException("no JDK >= 21 for the server: " + javaHome);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("gatepass-spring-");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String adminSecret = "test-" + HexFormat.of().formatHex(random);
        URI issuer = URI.create("http://localhost:" + port);
        List<String> command = new java.util.ArrayList<>(List.of(javaHome + "/bin/java", "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "serve", "--port", String.valueOf(port),
                "--issuer", issuer.toString(), "--data-dir", dataDir.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder server = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("gatepass.log").toFile());
        server.environment().put("GATEPASS_BOOTSTRAP_ADMIN_SECRET", adminSecret);
        Process process = server.start();
        GatepassProcess gatepass = new GatepassProcess(process, dataDir, issuer, adminSecret);
        gatepass.awaitReady();
        return gatepass;
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("Gatepass exited: " + Files.readString(dataDir.resolve("gatepass.log")));
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(issuer.resolve("/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Gatepass was not ready within 60 s: " + Files.readString(dataDir.resolve("gatepass.log")));
    }

    public URI issuer() {
        return issuer;
    }

    /** The secret of the admin app, {@code gatepass-admin}. */
    public String adminSecret() {
        return adminSecret;
    }

    /** A new API with these scopes and token lifetime (seconds); its id. */
    public String createApi(String identifier, int tokenLifetime, String... scopes) throws Exception {
        StringBuilder list = new StringBuilder();
        for (String scope : scopes) list.append(list.length() == 0 ? "" : ",").append("{\"value\":\"").append(scope).append("\"}");
        return (String) call("POST", "/admin/apis", "{\"identifier\":\"" + identifier + "\",\"name\":\"" + identifier
                + "\",\"token_lifetime\":" + tokenLifetime + ",\"scopes\":[" + list + "]}").get("id");
    }

    /** A new app (client_secret_basic): its client_id and client_secret. */
    public Map<String, Object> createApp(String name) throws Exception {
        return call("POST", "/admin/clients", "{\"client_name\":\"" + name + "\"}");
    }

    public void grant(String clientId, String apiId, String... scopes) throws Exception {
        call("PUT", "/admin/clients/" + clientId + "/grants/" + apiId,
                "{\"scopes\":[" + (scopes.length == 0 ? "" : "\"" + String.join("\",\"", List.of(scopes)) + "\"") + "]}");
    }

    public Map<String, Object> patchApp(String clientId, String json) throws Exception {
        return call("PATCH", "/admin/clients/" + clientId, json);
    }

    private Map<String, Object> call(String method, String path, String json) throws Exception {
        HttpRequest request = admin.authorize(HttpRequest.newBuilder(issuer.resolve(path)))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
