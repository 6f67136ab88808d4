package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatepass token}: an access token for the configured app, e.g. for curl. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Get an access token for the configured app and print it, e.g.:",
                "  curl -H \"Authorization: Bearer $(gatepass token --audience https://api.example.com)\" …"})
final class TokenCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = "--audience", description = "Identifier of the API. Optional when the app has one grant")
    String audience;

    @Option(names = "--scope", description = "Space-separated scopes. Default: all granted")
    String scope;

    @Override
    public Integer call() {
        JsonNode response = remote.client().token(audience, scope);
        Output out = remote.out();
        out.print(response, () -> out.message(response.path("access_token").asText()));
        return ExitCode.OK;
    }
}
