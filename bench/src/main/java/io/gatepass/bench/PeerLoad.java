package io.gatepass.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code bench/peers.sh}: the client credentials grant with {@code client_secret_basic} against any
 * authorization server's token endpoint, under the same closed-loop load as {@link LoadGenerator}'s cases. It
 * first checks that the server answers 200 with an RS256-signed JWT (the rows must measure the same work), then
 * loads it, reads the server's resident size from {@code /proc}, and puts the row into the table file.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gatepass.bench.PeerLoad --name keycloak --version 26.5.6 \
 *     --token-url http://127.0.0.1:18402/realms/bench/protocol/openid-connect/token --client-id bench \
 *     --client-secret … --body grant_type=client_credentials --pid 1234 --table bench/peers-results.json \
 *     [--jmh jmh.json] [--connections 32] [--warmup 10] [--duration 20]</pre>
 */
public final class PeerLoad {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeerLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        for (String required : new String[] {"name", "token-url", "client-id", "client-secret", "body", "table"}) {
            if (!options.containsKey(required)) {
                System.err.println("usage: PeerLoad --name N --token-url URL --client-id ID --client-secret S --body FORM "
                        + "--table FILE [--version V] [--pid PID] [--jmh JMH_JSON] [--generator TEXT] [--connections 32] [--warmup 10] "
                        + "[--duration 20]");
                System.exit(2);
            }
        }
        URI tokenUrl = URI.create(options.get("token-url"));
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (options.get("client-id") + ":" + options.get("client-secret")).getBytes(StandardCharsets.UTF_8));
        String body = options.get("body");
        String alg = firstTokenAlg(tokenUrl, basic, body);
        if (!"RS256".equals(alg)) throw new IllegalStateException(options.get("name") + " signs its tokens with " + alg + ", not RS256");

        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        int duration = Integer.parseInt(options.getOrDefault("duration", "20"));
        String host = tokenUrl.getHost() + ":" + tokenUrl.getPort();
        byte[] request = RawHttp.request("POST", tokenUrl.getRawPath(), host, "application/x-www-form-urlencoded", body,
                "Authorization", basic);
        Map<String, Object> result = LoadGenerator.run(tokenUrl, options.get("name"), () -> request, connections, warmup, duration);

        ObjectNode row = JSON.createObjectNode();
        row.put("server", options.get("name"));
        row.put("version", options.getOrDefault("version", ""));
        row.put("tokens_per_second", Math.round((double) result.get("per_second")));
        row.put("p50_ms", round((double) result.get("p50_ms")));
        row.put("p99_ms", round((double) result.get("p99_ms")));
        row.put("p999_ms", round((double) result.get("p999_ms")));
        row.put("requests", (long) result.get("requests"));
        row.put("per_connection_min", (long) result.get("per_connection_min"));
        row.put("per_connection_max", (long) result.get("per_connection_max"));
        row.set("errors", JSON.valueToTree(result.get("errors")));
        if (options.containsKey("pid")) row.put("rss_mib", residentMiB(options.get("pid")));
        row.put("token_alg", alg);
        Double signRate = options.containsKey("jmh") ? LoadGenerator.signRates(Path.of(options.get("jmh"))).get("RS256") : null;
        if (signRate != null) {
            // tokens/s ÷ (2 cores × one core's RS256 signing rate in this run): the same yardstick for every row
            row.put("of_signing_ceiling", round((double) result.get("per_second") / (2 * signRate)));
        }

        Path table = Path.of(options.get("table"));
        ObjectNode document = Files.exists(table) ? (ObjectNode) JSON.readTree(table.toFile()) : JSON.createObjectNode();
        if (!document.has("rows")) {
            document.put("started_at", Instant.now().toString());
            document.put("case", "client_credentials, client_secret_basic, RS256 JWT access token");
            document.put("connections", connections);
            document.put("warmup_s", warmup);
            document.put("duration_s", duration);
            document.put("cores", Runtime.getRuntime().availableProcessors());
            String generator = options.getOrDefault("generator", "");
            document.put("generator", generator.isEmpty() ? "on the same cores, not pinned" : generator);
            document.putArray("rows");
        }
        ((ArrayNode) document.get("rows")).add(row);
        Files.writeString(table, JSON.writeValueAsString(document));
        System.out.printf("%-20s %,10d tokens/s (%s of the signing ceiling)  p50 %8.2f ms  p99 %9.2f ms  errors %s  RSS %s MiB%n",
                options.get("name"), row.get("tokens_per_second").asLong(),
                row.has("of_signing_ceiling") ? Math.round(100 * row.get("of_signing_ceiling").asDouble()) + "%" : "-",
                row.get("p50_ms").asDouble(), row.get("p99_ms").asDouble(), row.get("errors"),
                row.has("rss_mib") ? row.get("rss_mib").asText() : "-");
    }

    /** The {@code alg} of the first token the server issues, or what it answered instead. */
    private static String firstTokenAlg(URI tokenUrl, String basic, String body) throws IOException, InterruptedException,
            java.text.ParseException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tokenUrl)
                .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(tokenUrl + " answered " + response.statusCode() + ": " + response.body());
        }
        String token = JSON.readTree(response.body()).path("access_token").asText();
        return SignedJWT.parse(token).getHeader().getAlgorithm().getName();
    }

    /** The resident size of a process and its children, from {@code /proc}: what the server holds after the load. */
    private static long residentMiB(String pid) throws IOException {
        return residentKiB(pid) / 1024;
    }

    private static long residentKiB(String pid) throws IOException {
        long kib = 0;
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) kib += Long.parseLong(line.replaceAll("\\D", ""));
        }
        Path children = Path.of("/proc", pid, "task", pid, "children");
        if (Files.exists(children)) {
            for (String child : Files.readString(children).trim().split("\\s+")) {
                if (!child.isEmpty()) kib += residentKiB(child);
            }
        }
        return kib;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
