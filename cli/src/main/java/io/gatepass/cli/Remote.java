package io.gatepass.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of every command that talks to a running Gatepass: where it is, which app to act as, and how to
 * print. Each falls back to its environment variable.
 */
final class Remote {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--server", defaultValue = "${env:GATEPASS_SERVER:-http://localhost:8080}",
            description = "Base URL of the Gatepass server (GATEPASS_SERVER). Default: ${DEFAULT-VALUE}")
    String server;

    @Option(names = "--client-id", defaultValue = "${env:GATEPASS_CLIENT_ID}",
            description = "client_id of the app to act as (GATEPASS_CLIENT_ID)")
    String clientId;

    @Option(names = "--client-secret", defaultValue = "${env:GATEPASS_CLIENT_SECRET}",
            description = "Its client secret (GATEPASS_CLIENT_SECRET). Prefer the environment variable: "
                    + "a flag shows in the process list")
    String clientSecret;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "table (for people) or json (for scripts). Default: ${DEFAULT-VALUE}")
    Output.Format output;

    GatepassClient client() {
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new CliException(ExitCode.USAGE, "no app credentials: set GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET "
                    + "(or --client-id and --client-secret)");
        }
        return new GatepassClient(server, clientId, clientSecret);
    }

    Output out() {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
    }
}
