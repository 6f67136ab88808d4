package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatepass registration-tokens …}: the RFC 7591 initial access tokens partners register their own apps with
 * at {@code POST /oauth/register}.
 */
@Command(name = "registration-tokens", mixinStandardHelpOptions = true,
        description = "Initial access tokens for self-registration (RFC 7591): create one for a partner, list, revoke.")
final class RegistrationTokensCommand {
    private static final String[] COLUMNS = {"id", "name", "expires_at", "uses", "uses_left", "grants"};

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an initial access token and print it once.")
    int create(@Mixin Remote remote,
               @Option(names = "--name", description = "Who the token is for") String name,
               @Option(names = "--expires-in", converter = ServeCommand.IsoDuration.class, defaultValue = "P1D",
                       description = "How long it can be used, ISO-8601 (at most P30D). Default: ${DEFAULT-VALUE}")
               Duration expiresIn,
               @Option(names = "--max-uses", defaultValue = "1",
                       description = "How many apps it can register. Default: ${DEFAULT-VALUE}") int maxUses,
               @Option(names = "--grant", paramLabel = "API=SCOPE,…",
                       description = "What each app registered with it is granted: an API (id or identifier) and its "
                               + "scopes; repeat for more APIs. None: registered apps get no grants")
               List<String> grants,
               @Option(names = "--auth-method", paramLabel = "METHOD", description = "A token_endpoint_auth_method the "
                       + "registered apps may use; repeat for more. None: any") List<String> methods) {
        GatepassClient client = remote.client();
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) body.put("name", name);
        body.put("expires_in", expiresIn.toSeconds());
        body.put("max_uses", maxUses);
        if (grants != null) body.put("grants", grants(client, grants));
        if (methods != null) body.put("allowed_auth_methods", methods);
        JsonNode token = client.admin("POST", "/admin/initial-access-tokens", body);
        Output out = remote.out();
        out.print(token, () -> out.fields(token));
        out.warn("The token is shown only now. Hand it to the partner over a safe channel; it registers at "
                + "POST /oauth/register with Authorization: Bearer <token>.");
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List initial access tokens (never their values).")
    int list(@Mixin Remote remote, @Mixin Page page) {
        JsonNode tokens = remote.client().admin("GET", "/admin/initial-access-tokens" + page.query(), null);
        Output out = remote.out();
        out.print(tokens, () -> out.table(tokens, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an initial access token; apps it registered stay.")
    int revoke(@Mixin Remote remote, @Parameters(paramLabel = "ID") String id) {
        remote.client().admin("DELETE", "/admin/initial-access-tokens/" + GatepassClient.segment(id), null);
        remote.out().message("Revoked initial access token " + id);
        return ExitCode.OK;
    }

    private static List<Map<String, Object>> grants(GatepassClient client, List<String> grants) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String grant : grants) {
            int eq = grant.lastIndexOf('=');
            if (eq <= 0) throw new CliException(ExitCode.USAGE, "--grant takes API=SCOPE,SCOPE (not " + grant + ")");
            List<String> scopes = new ArrayList<>();
            for (String scope : grant.substring(eq + 1).split(",")) if (!scope.isBlank()) scopes.add(scope.trim());
            out.add(Map.of("api_id", ApisCommand.apiId(client, grant.substring(0, eq)), "scopes", scopes));
        }
        return out;
    }
}
