package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --claims JSON}: custom claims in every token of an app or a grant; {@code --claims=} removes them. */
final class TokenClaims {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--claims", paramLabel = "JSON",
            description = "Extra claims in every token, a JSON object such as '{\"tenant_id\":\"acme\"}'; --claims= removes them")
    String claims;

    void addTo(Map<String, Object> body) {
        if (claims == null) return;
        if (claims.isEmpty()) {
            body.put("claims", null);
            return;
        }
        try {
            JsonNode parsed = JSON.readTree(claims);
            if (parsed == null || !parsed.isObject()) throw new CliException(ExitCode.USAGE, "--claims takes a JSON object");
            body.put("claims", parsed);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "--claims is not JSON: " + e.getMessage());
        }
    }
}
