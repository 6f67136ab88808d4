package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass issuers …}: trusted issuers for workload identity federation, through {@code /admin/trusted-issuers}. */
@Command(name = "issuers", mixinStandardHelpOptions = true,
        description = "Trusted issuers: platforms (Kubernetes, GitHub Actions, GitLab, SPIFFE, any OIDC issuer) whose tokens "
                + "federated_jwt apps authenticate with instead of a secret.")
final class IssuersCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COLUMNS = {"id", "issuer", "preset", "status", "audiences", "max_assertion_lifetime", "allow_reuse"};

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Trust an issuer.")
    int create(@Mixin Remote remote,
               @Option(names = "--issuer", description = "The iss of its tokens, exactly (github-actions has a default)") String issuer,
               @Option(names = "--preset", description = "generic (default), kubernetes, github-actions, gitlab or spiffe") String preset,
               @Option(names = "--name", description = "Display name") String name,
               @Mixin IssuerSettings settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (issuer != null) body.put("issuer", issuer);
        if (preset != null) body.put("preset", preset);
        if (name != null) body.put("name", name);
        settings.addTo(body);
        JsonNode created = remote.client().admin("POST", "/admin/trusted-issuers", body);
        Output out = remote.out();
        out.print(created, () -> out.fields(created));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List trusted issuers.")
    int list(@Mixin Remote remote, @Mixin Page page) {
        JsonNode issuers = remote.client().admin("GET", "/admin/trusted-issuers" + page.query(), null);
        Output out = remote.out();
        out.print(issuers, () -> out.table(issuers, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a trusted issuer.")
    int show(@Mixin Remote remote, @Parameters(paramLabel = "ID") String id) {
        JsonNode issuer = remote.client().admin("GET", path(id), null);
        Output out = remote.out();
        out.print(issuer, () -> out.fields(issuer));
        return ExitCode.OK;
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a trusted issuer.")
    int update(@Mixin Remote remote, @Parameters(paramLabel = "ID") String id,
               @Option(names = "--name", description = "New display name") String name,
               @Option(names = "--status", description = "active or disabled (its apps' tokens are refused at once)") String status,
               @Mixin IssuerSettings settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) body.put("name", name);
        if (status != null) body.put("status", status);
        settings.addTo(body);
        if (body.isEmpty()) throw new CliException(ExitCode.USAGE, "nothing to change: give --name, --status, --jwks-file, "
                + "--jwks-uri, --audience, --max-assertion-lifetime, --[no-]allow-reuse or --[no-]allow-private-network");
        JsonNode issuer = remote.client().admin("PATCH", path(id), body);
        Output out = remote.out();
        out.print(issuer, () -> out.fields(issuer));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Stop trusting an issuer; the federated credentials on it go with it.")
    int delete(@Mixin Remote remote, @Parameters(paramLabel = "ID") String id) {
        remote.client().admin("DELETE", path(id), null);
        remote.out().message("Deleted trusted issuer " + id);
        return ExitCode.OK;
    }

    static String path(String id) {
        return "/admin/trusted-issuers/" + GatepassClient.segment(id);
    }

    /** What create and update share. */
    static final class IssuerSettings {
        @Option(names = "--jwks-file", paramLabel = "FILE", description = "Its public keys as a JWK Set file (nothing is fetched)")
        Path jwksFile;

        @Option(names = "--jwks-uri", paramLabel = "URL", description = "Where its keys are. Default: its OIDC discovery document")
        String jwksUri;

        @Option(names = "--audience", description = "An aud its tokens must name; repeat for more. Default: this server's "
                + "issuer and token endpoint") List<String> audiences;

        @Option(names = "--max-assertion-lifetime", paramLabel = "SECONDS", description = "Longest token lifetime accepted "
                + "(default 3600, at most 86400)") Integer maxLifetime;

        @Option(names = "--allow-reuse", negatable = true, description = "Accept a token more than once (kubernetes and spiffe "
                + "do by default)") Boolean allowReuse;

        @Option(names = "--allow-private-network", negatable = true,
                description = "Let the server fetch its keys from a loopback or private address (an in-cluster issuer)")
        Boolean allowPrivateNetwork;

        void addTo(Map<String, Object> body) {
            if (jwksFile != null && jwksUri != null) throw new CliException(ExitCode.USAGE, "give --jwks-file or --jwks-uri, not both");
            if (jwksFile != null) {
                try {
                    body.put("jwks", JSON.readTree(Files.readString(jwksFile)));
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot read " + jwksFile + " as JSON: " + e.getMessage());
                }
            }
            if (jwksUri != null) body.put("jwks_uri", jwksUri);
            if (audiences != null) body.put("audiences", audiences);
            if (maxLifetime != null) body.put("max_assertion_lifetime", maxLifetime);
            if (allowReuse != null) body.put("allow_reuse", allowReuse);
            if (allowPrivateNetwork != null) body.put("allow_private_network", allowPrivateNetwork);
        }
    }
}
