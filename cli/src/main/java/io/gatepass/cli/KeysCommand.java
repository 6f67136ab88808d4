package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass keys …}: the signing key ring. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Show and rotate the signing keys; remove a compromised one.")
final class KeysCommand {
    private static final String[] COLUMNS = {"kid", "alg", "status", "activates_at", "removed_at"};

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List signing keys (public facts only).")
    int list(@Mixin Remote remote) {
        JsonNode keys = remote.client().admin("GET", "/admin/keys", null);
        Output out = remote.out();
        out.print(keys, () -> out.table(keys, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Publish a new signing key now; it signs after the server's propagation delay "
                    + "(default one hour), so that APIs caching the JWKS know it first.")
    int rotate(@Mixin Remote remote,
               @Option(names = "--alg", description = "The algorithm whose key to rotate. Default: RS256") String alg,
               @Option(names = "--immediate", description = "Sign with the new key at once (emergencies: APIs that "
                       + "cached the JWKS refuse its tokens until they fetch it again)") boolean immediate) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (alg != null) body.put("alg", alg);
        if (immediate) body.put("immediate", true);
        JsonNode key = remote.client().admin("POST", "/admin/keys/rotate", body);
        Output out = remote.out();
        out.print(key, () -> out.fields(key));
        return ExitCode.OK;
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "After a master key rotation: re-encrypt every signing key still under "
                    + "GATEPASS_MASTER_KEY_PREVIOUS under GATEPASS_MASTER_KEY (a server started with both does it at start).")
    int rewrap(@Mixin Remote remote) {
        JsonNode answer = remote.client().admin("POST", "/admin/keys/rewrap", null);
        Output out = remote.out();
        out.print(answer, () -> out.message("Re-encrypted " + answer.path("keys_rewrapped").asInt()
                + " signing key(s) under the current master key"));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove a compromised key from the JWKS at once; tokens it signed stop verifying. "
                    + "If it was signing, a new key signs from now on.")
    int delete(@Mixin Remote remote, @Parameters(paramLabel = "KID") String kid) {
        remote.client().admin("DELETE", "/admin/keys/" + GatepassClient.segment(kid), null);
        remote.out().message("Removed signing key " + kid);
        return ExitCode.OK;
    }
}
