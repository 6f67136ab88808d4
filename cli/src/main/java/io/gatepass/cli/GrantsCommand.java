package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass grants …}: which scopes an app may request on which API. */
@Command(name = "grants", mixinStandardHelpOptions = true,
        description = "Grant apps scopes on APIs, narrow or remove grants.")
final class GrantsCommand {
    private static final String[] COLUMNS = {"api_id", "api_identifier", "scopes", "updated_at"};

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Grant an app exactly these scopes on an API (replaces an existing grant).")
    int set(@Mixin Remote remote, @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId,
            @Parameters(index = "1", paramLabel = "API", description = "The API's id or identifier") String api,
            @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope to grant; repeat for more. "
                    + "None grants the API with no scopes") List<String> scopes,
            @Mixin TokenClaims claims) {
        GatepassClient client = remote.client();
        String apiId = ApisCommand.apiId(client, api);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("scopes", scopes == null ? List.of() : scopes);
        claims.addTo(body);
        JsonNode grant = client.admin("PUT", AppsCommand.path(clientId) + "/grants/" + GatepassClient.segment(apiId), body);
        Output out = remote.out();
        out.print(grant, () -> out.fields(grant));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an app's grants.")
    int list(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        JsonNode grants = remote.client().admin("GET", AppsCommand.path(clientId) + "/grants", null);
        Output out = remote.out();
        out.print(grants, () -> out.table(grants, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove an app's grant on an API.")
    int delete(@Mixin Remote remote, @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId,
               @Parameters(index = "1", paramLabel = "API", description = "The API's id or identifier") String api) {
        GatepassClient client = remote.client();
        String apiId = ApisCommand.apiId(client, api);
        client.admin("DELETE", AppsCommand.path(clientId) + "/grants/" + GatepassClient.segment(apiId), null);
        remote.out().message("Removed the grant of " + clientId + " on " + api);
        return ExitCode.OK;
    }
}
