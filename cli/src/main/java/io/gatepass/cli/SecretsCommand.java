package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gatepass apps secrets …}: rotate an app's secrets with overlap (at most two at a time). */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Rotate an app's client secrets: create a second one, move the app to it, delete the old one.")
final class SecretsCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Add a secret and print it once.")
    int create(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        JsonNode secret = remote.client().admin("POST", AppsCommand.path(clientId) + "/secrets", null);
        Output out = remote.out();
        out.print(secret, () -> out.fields(secret));
        out.warn(AppsCommand.SECRET_WARNING);
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an app's secrets (ids and dates only).")
    int list(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        JsonNode secrets = remote.client().admin("GET", AppsCommand.path(clientId) + "/secrets", null);
        Output out = remote.out();
        out.print(secrets, () -> out.table(secrets, "id", "created_at", "last_used_at"));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret (not the app's last one).")
    int delete(@Mixin Remote remote, @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId,
               @Parameters(index = "1", paramLabel = "SECRET_ID") String secretId) {
        remote.client().admin("DELETE", AppsCommand.path(clientId) + "/secrets/" + GatepassClient.segment(secretId), null);
        remote.out().message("Deleted secret " + secretId + " of app " + clientId);
        return ExitCode.OK;
    }
}
