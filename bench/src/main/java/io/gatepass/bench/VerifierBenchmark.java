package io.gatepass.bench;

import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.verifier.GatepassVerifier;
import io.gatepass.verifier.VerifiedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What an API pays per request with the verifier SDK: a token seen before ({@code cached}) and a token verified
 * from scratch each time ({@code cold}: parse, signature, claims), for RS256 and ES256 tokens of a real server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifierBenchmark {
    private static final String SECRET = "bench-bootstrap-secret-0123456789-abcdefgh";

    @Param({"RS256", "ES256"})
    public String alg;

    @Param({"cached", "cold"})
    public String mode;

    private GatepassServer server;
    private GatepassVerifier verifier;
    private String header;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("gatepass-verifier-bench");
        server = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dir).bootstrapAdminSecret(SECRET).build());
        URI issuer = URI.create(server.issuer());
        String audience = "https://bench-" + alg.toLowerCase() + ".example.com";
        GatepassTokenSource admin = GatepassTokenSource.builder().issuer(issuer)
                .auth(ClientAuth.clientSecretBasic("gatepass-admin", SECRET)).audience("urn:gatepass:admin").build();
        String api = call(admin, "POST", "/admin/apis", "{\"identifier\":\"" + audience + "\",\"name\":\"b\","
                + "\"scopes\":[\"read\"],\"signing_alg\":\"" + alg + "\"}");
        String apiId = field(api, "id");
        String app = call(admin, "POST", "/admin/clients", "{\"client_name\":\"bench\"}");
        call(admin, "PUT", "/admin/clients/" + field(app, "client_id") + "/grants/" + apiId, "{\"scopes\":[\"read\"]}");
        GatepassTokenSource tokens = GatepassTokenSource.builder().issuer(issuer)
                .auth(ClientAuth.clientSecretBasic(field(app, "client_id"), field(app, "client_secret"))).audience(audience).build();
        header = "Bearer " + tokens.token().value();
        verifier = GatepassVerifier.builder().issuer(issuer).audience(audience)
                .verifiedTokenCache(mode.equals("cached") ? 10_000 : 0).build();
        verifier.verify(header, "read"); // JWKS fetched before measuring
    }

    @Benchmark
    public VerifiedToken verify() {
        return verifier.verify(header, "read");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        verifier.close();
        server.close();
    }

    private String call(GatepassTokenSource admin, String method, String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(admin.authorize(HttpRequest.newBuilder(
                URI.create(server.issuer() + path))).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) throw new IllegalStateException(path + ": " + response.body());
        return response.body();
    }

    private static String field(String json, String name) throws java.text.ParseException {
        return (String) com.nimbusds.jose.util.JSONObjectUtils.parse(json).get(name);
    }
}
