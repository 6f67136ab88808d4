package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass apps credentials …}: which platform tokens prove a {@code federated_jwt} app. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Federated credentials: which tokens of a trusted issuer prove a federated_jwt app.")
final class FederatedCredentialsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a federated credential to an app.")
    int add(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId,
            @Option(names = "--issuer", required = true, paramLabel = "ISSUER_ID", description = "A trusted issuer's id") String issuerId,
            @Option(names = "--subject", description = "The sub its tokens must have, exactly") String subject,
            @Option(names = "--claims", paramLabel = "JSON", description = "Claim values its tokens must have, exactly, "
                    + "e.g. '{\"repository_id\":\"123456\"}'") String claims) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer_id", issuerId);
        if (subject != null) body.put("subject", subject);
        if (claims != null) {
            try {
                body.put("claims", JSON.readTree(claims));
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "--claims is not JSON: " + e.getMessage());
            }
        }
        JsonNode credential = remote.client().admin("POST", AppsCommand.path(clientId) + "/federated-credentials", body);
        Output out = remote.out();
        out.print(credential, () -> out.fields(credential));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an app's federated credentials.")
    int list(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        JsonNode credentials = remote.client().admin("GET", AppsCommand.path(clientId) + "/federated-credentials", null);
        Output out = remote.out();
        out.print(credentials, () -> out.table(credentials, "id", "issuer_id", "subject", "claims", "created_at"));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a federated credential.")
    int delete(@Mixin Remote remote, @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId,
               @Parameters(index = "1", paramLabel = "ID") String id) {
        remote.client().admin("DELETE", AppsCommand.path(clientId) + "/federated-credentials/" + GatepassClient.segment(id), null);
        remote.out().message("Deleted federated credential " + id + " of app " + clientId);
        return ExitCode.OK;
    }
}
