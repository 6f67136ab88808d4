package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --jwks-file} / {@code --jwks-uri}: the public keys of a {@code private_key_jwt} app, and where they may be. */
final class AppKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--jwks-file", paramLabel = "FILE",
            description = "A JWK Set file with the app's public keys (private_key_jwt)")
    Path jwksFile;

    @Option(names = "--jwks-uri", paramLabel = "URL",
            description = "Where the app publishes its JWK Set, https (private_key_jwt)")
    String jwksUri;

    @Option(names = "--allow-private-network", negatable = true,
            description = "Let the server fetch --jwks-uri from a loopback or private address (refused otherwise)")
    Boolean allowPrivateNetwork;

    boolean given() {
        return jwksFile != null || jwksUri != null;
    }

    void addTo(Map<String, Object> body) {
        if (jwksFile != null && jwksUri != null) throw new CliException(ExitCode.USAGE, "give --jwks-file or --jwks-uri, not both");
        if (jwksUri != null) body.put("jwks_uri", jwksUri);
        if (allowPrivateNetwork != null) body.put("allow_private_network", allowPrivateNetwork);
        if (jwksFile != null) {
            try {
                JsonNode set = JSON.readTree(Files.readString(jwksFile));
                body.put("jwks", set);
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "cannot read " + jwksFile + " as JSON: " + e.getMessage());
            }
        }
    }
}
