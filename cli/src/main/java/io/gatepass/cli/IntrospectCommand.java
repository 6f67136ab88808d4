package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gatepass introspect TOKEN}: is this token active right now (RFC 7662)? */
@Command(name = "introspect", mixinStandardHelpOptions = true,
        description = {"Ask the server whether a token is active now and print its claims.",
                "Exits with 0 when it is active and 8 when it is not (expired, revoked, its app blocked or deleted)."})
final class IntrospectCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Remote remote;

    @Parameters(paramLabel = "TOKEN", description = "The access token")
    String token;

    @Override
    public Integer call() {
        JsonNode response = remote.client().introspect(token);
        Output out = remote.out();
        out.print(response, () -> out.fields(response));
        return response.path("active").asBoolean() ? ExitCode.OK : ExitCode.INACTIVE;
    }
}
