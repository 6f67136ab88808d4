package io.gatepass.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.server.keys.CryptoProviders;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator for a running Gatepass: N connections, each sending its next request as soon as
 * the previous answer arrived, over keep-alive HTTP/1.1 with prepared bytes. Per case: warm-up, then a measured
 * run with latencies in an HDR histogram and errors counted by status; a result line each, and a JSON file.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gatepass.bench.LoadGenerator --url http://127.0.0.1:8080 \
 *     --admin-secret … [--connections 32] [--warmup 5] [--duration 15] [--cases token-rs256,jwks] [--out f.json]
 *     [--jmh jmh.json]</pre>
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> ALL_CASES = List.of("token-rs256", "token-es256", "token-pkjwt-es256",
            "token-dpop-es256", "introspect", "jwks", "metadata");

    private final URI url;
    private final String hostHeader;
    private final HttpClient http = HttpClient.newHttpClient();
    private final GatepassTokenSource admin;

    private LoadGenerator(URI url, String adminSecret) {
        this.url = url;
        this.hostHeader = url.getHost() + ":" + url.getPort();
        this.admin = GatepassTokenSource.builder().tokenEndpoint(URI.create(url + "/oauth/token"))
                .auth(ClientAuth.clientSecretBasic("gatepass-admin", adminSecret)).audience("urn:gatepass:admin").build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String secret = options.getOrDefault("admin-secret", System.getenv("GATEPASS_CLIENT_SECRET"));
        if (!options.containsKey("url") || secret == null) {
            System.err.println("usage: LoadGenerator --url http://host:port --admin-secret S [--connections 32] [--warmup 5] "
                    + "[--duration 15] [--cases " + String.join(",", ALL_CASES) + "] [--out results.json] [--jmh jmh.json]");
            System.exit(2);
        }
        LoadGenerator generator = new LoadGenerator(URI.create(options.get("url")), secret);
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int duration = Integer.parseInt(options.getOrDefault("duration", "15"));
        List<String> cases = List.of(options.getOrDefault("cases", String.join(",", ALL_CASES)).split(","));
        Map<String, Double> signRates = options.containsKey("jmh") ? signRates(Path.of(options.get("jmh"))) : Map.of();
        List<Map<String, Object>> results = new ArrayList<>();
        Setup setup = generator.setUp();
        System.out.printf("%-18s %5s %12s %9s %9s %9s %10s  %s%n", "case", "conns", "per second", "p50 ms", "p99 ms",
                "p99.9 ms", "efficiency", "errors");
        for (String name : cases) {
            Supplier<byte[]> requests = generator.requests(name.trim(), setup);
            Map<String, Object> result = run(generator.url, name.trim(), requests, connections, warmup, duration);
            String alg = name.contains("rs256") ? "RS256" : name.contains("es256") ? "ES256" : null;
            if (alg != null && signRates.containsKey(alg)) {
                // tokens/s ÷ (2 cores × one core's signing rate): how close the endpoint comes to pure signing
                result.put("efficiency", (double) result.get("per_second") / (2 * signRates.get(alg)));
            }
            results.add(result);
            System.out.printf("%-18s %5d %,12.0f %9.2f %9.2f %9.2f %10s  %s%n", name, connections, result.get("per_second"),
                    result.get("p50_ms"), result.get("p99_ms"), result.get("p999_ms"),
                    result.containsKey("efficiency") ? String.format("%.0f%%", 100 * (double) result.get("efficiency")) : "-",
                    result.get("errors"));
        }
        Path out = Path.of(options.getOrDefault("out", "bench-results.json"));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("url", options.get("url"));
        document.put("connections", connections);
        document.put("warmup_s", warmup);
        document.put("duration_s", duration);
        document.put("jdk", Runtime.version().toString());
        document.put("cores", Runtime.getRuntime().availableProcessors());
        document.put("sign_rates_per_core", signRates);
        document.put("results", results);
        Files.writeString(out, JSON.writeValueAsString(document));
        System.out.println("results: " + out.toAbsolutePath());
    }

    /** JMH's signing rates (SigningBenchmark.sign, native provider) by algorithm, from its JSON result file. */
    static Map<String, Double> signRates(Path jmhJson) throws IOException {
        Map<String, Double> rates = new TreeMap<>();
        for (JsonNode run : new ObjectMapper().readTree(jmhJson.toFile())) {
            if (!run.path("benchmark").asText().endsWith(".sign")) continue;
            JsonNode params = run.path("params");
            if (!"native".equals(params.path("provider").asText())) continue;
            rates.put(params.path("alg").asText(), run.path("primaryMetric").path("score").asDouble());
        }
        return rates;
    }

    /** What the cases need, registered through the management API. */
    private record Setup(String rs256Api, String es256Api, String clientId, String secret, String keyClientId,
                         ECKey key, String tokenToIntrospect) {
    }

    private Setup setUp() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String rs256 = "https://bench-rs256-" + suffix + ".example.com";
        String es256 = "https://bench-es256-" + suffix + ".example.com";
        String rsId = field(admin("POST", "/admin/apis", "{\"identifier\":\"" + rs256 + "\",\"name\":\"rs\",\"scopes\":[\"read\"],"
                + "\"signing_alg\":\"RS256\"}"), "id");
        String esId = field(admin("POST", "/admin/apis", "{\"identifier\":\"" + es256 + "\",\"name\":\"es\",\"scopes\":[\"read\"],"
                + "\"signing_alg\":\"ES256\"}"), "id");
        JsonNode app = JSON.readTree(admin("POST", "/admin/clients", "{\"client_name\":\"bench\"}"));
        String clientId = app.get("client_id").asText();
        admin("PUT", "/admin/clients/" + clientId + "/grants/" + rsId, "{\"scopes\":[\"read\"]}");
        admin("PUT", "/admin/clients/" + clientId + "/grants/" + esId, "{\"scopes\":[\"read\"]}");
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        String keyApp = field(admin("POST", "/admin/clients", "{\"client_name\":\"bench keys\",\"token_endpoint_auth_method\":"
                + "\"private_key_jwt\",\"jwks\":" + new JWKSet(key.toPublicJWK()) + "}"), "client_id");
        admin("PUT", "/admin/clients/" + keyApp + "/grants/" + esId, "{\"scopes\":[\"read\"]}");
        String token = GatepassTokenSource.builder().tokenEndpoint(URI.create(url + "/oauth/token"))
                .auth(ClientAuth.clientSecretBasic(clientId, app.get("client_secret").asText())).audience(es256).build()
                .token().value();
        return new Setup(rs256, es256, clientId, app.get("client_secret").asText(), keyApp, key, token);
    }

    private Supplier<byte[]> requests(String name, Setup s) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((s.clientId() + ":" + s.secret()).getBytes(StandardCharsets.UTF_8));
        String form = "application/x-www-form-urlencoded";
        return switch (name) {
            case "token-rs256" -> fixed(RawHttp.request("POST", "/oauth/token", hostHeader, form,
                    "grant_type=client_credentials&audience=" + encode(s.rs256Api()), "Authorization", basic));
            case "token-es256" -> fixed(RawHttp.request("POST", "/oauth/token", hostHeader, form,
                    "grant_type=client_credentials&audience=" + encode(s.es256Api()), "Authorization", basic));
            case "introspect" -> fixed(RawHttp.request("POST", "/oauth/introspect", hostHeader, form,
                    "token=" + s.tokenToIntrospect(), "Authorization", basic));
            case "jwks" -> fixed(RawHttp.request("GET", "/.well-known/jwks.json", hostHeader, null, null));
            case "metadata" -> fixed(RawHttp.request("GET", "/.well-known/oauth-authorization-server", hostHeader, null, null));
            case "token-pkjwt-es256" -> {
                ECDSASigner signer = signer(s.key());
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(s.key().getKeyID()).build();
                String audience = issuer() + "/oauth/token"; // the issuer's URL, which may differ from the one dialled
                String prefix = "grant_type=client_credentials&audience=" + encode(s.es256Api())
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=";
                yield () -> {
                    Instant now = Instant.now();
                    SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().issuer(s.keyClientId())
                            .subject(s.keyClientId()).audience(audience).issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString()).build());
                    try {
                        jwt.sign(signer);
                    } catch (com.nimbusds.jose.JOSEException e) {
                        throw new IllegalStateException(e);
                    }
                    return RawHttp.request("POST", "/oauth/token", hostHeader, form, prefix + jwt.serialize());
                };
            }
            case "token-dpop-es256" -> {
                // a client secret and a new ES256 DPoP proof per request (RFC 9449 §4.2), signed here as a client would
                ECKey proofKey = new ECKeyGenerator(Curve.P_256).generate();
                ECDSASigner signer = signer(proofKey);
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                        .jwk(proofKey.toPublicJWK()).build();
                String htu = issuer() + "/oauth/token";
                String body = "grant_type=client_credentials&audience=" + encode(s.es256Api());
                yield () -> {
                    SignedJWT proof = new SignedJWT(header, new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                            .claim("htm", "POST").claim("htu", htu).issueTime(new Date()).build());
                    try {
                        proof.sign(signer);
                    } catch (com.nimbusds.jose.JOSEException e) {
                        throw new IllegalStateException(e);
                    }
                    return RawHttp.request("POST", "/oauth/token", hostHeader, form, body, "Authorization", basic,
                            "DPoP", proof.serialize());
                };
            }
            default -> throw new IllegalArgumentException("unknown case " + name + "; cases: " + ALL_CASES);
        };
    }

    /**
     * An ES256 signer as a fast client makes one: with the native provider where it loads, and the private key
     * turned into the provider's own object once (handed a JDK key, it would convert it on every signature).
     */
    private static ECDSASigner signer(ECKey key) throws Exception {
        Provider accp = CryptoProviders.detect().preferred();
        if (accp == null) return new ECDSASigner(key);
        ECDSASigner signer = new ECDSASigner(CryptoProviders.translate("EC", key.toECPrivateKey(), accp), Curve.P_256);
        signer.getJCAContext().setProvider(accp);
        return signer;
    }

    private static Supplier<byte[]> fixed(byte[] request) {
        return () -> request;
    }

    /** One case against {@code url}: warm-up, then the measured run; throughput, percentiles and errors by status. */
    static Map<String, Object> run(URI url, String name, Supplier<byte[]> requests, int connections, int warmupSeconds,
                                   int durationSeconds) throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        Map<Integer, AtomicLong> errors = new ConcurrentHashMap<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            histograms.add(histogram);
            workers.add(Thread.ofPlatform().name("load-" + name + "-" + i).start(() -> {
                try (RawHttp connection = new RawHttp(url.getHost(), url.getPort())) {
                    while (running.get()) {
                        byte[] request = requests.get();
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = connection.exchange(request);
                        } catch (IOException e) {
                            status = 0;
                        }
                        if (!measuring.get()) continue;
                        histogram.recordValue(System.nanoTime() - start);
                        completed.incrementAndGet();
                        if (status < 200 || status >= 300) errors.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(warmupSeconds * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(durationSeconds * 1000L);
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread worker : workers) worker.join();
        Histogram all = new Histogram(60_000_000_000L, 3);
        for (Histogram h : histograms) all.add(h);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("case", name);
        result.put("connections", connections);
        result.put("requests", completed.get());
        result.put("per_second", completed.get() / seconds);
        result.put("p50_ms", all.getValueAtPercentile(50) / 1e6);
        result.put("p99_ms", all.getValueAtPercentile(99) / 1e6);
        result.put("p999_ms", all.getValueAtPercentile(99.9) / 1e6);
        result.put("max_ms", all.getMaxValue() / 1e6);
        // fairness: the fewest and the most answers one connection got (equal under a fair server)
        result.put("per_connection_min", histograms.stream().mapToLong(Histogram::getTotalCount).min().orElse(0));
        result.put("per_connection_max", histograms.stream().mapToLong(Histogram::getTotalCount).max().orElse(0));
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((status, count) -> errorCounts.put(status == 0 ? "io" : status.toString(), count.get()));
        result.put("errors", errorCounts);
        return result;
    }

    private String issuer() throws IOException, InterruptedException {
        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(url + "/.well-known/oauth-authorization-server"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(metadata.body()).get("issuer").asText();
    }

    private String admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(admin.authorize(HttpRequest.newBuilder(URI.create(url + path)))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        return response.body();
    }

    private static String field(String json, String name) throws IOException {
        return JSON.readTree(json).get(name).asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
