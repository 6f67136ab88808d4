package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatepass keys …}: the signing key ring. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Show the signing key ring.")
final class KeysCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List signing keys (public facts only).")
    int list(@Mixin Remote remote) {
        JsonNode keys = remote.client().admin("GET", "/admin/keys", null);
        Output out = remote.out();
        out.print(keys, () -> out.table(keys, "kid", "alg", "status", "created_at"));
        return ExitCode.OK;
    }
}
