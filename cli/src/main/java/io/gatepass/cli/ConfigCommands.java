package io.gatepass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatepass export}, {@code apply} and {@code diff}: the whole set-up as one file (docs/config-as-code.md). */
final class ConfigCommands {
    private ConfigCommands() {
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the server's configuration (APIs, apps, grants, trusted issuers, federated credentials; "
                    + "no secrets) as YAML, or JSON for a .json file. The same configuration gives the same bytes.")
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Remote remote;
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Write to this file. Default: standard output")
        Path file;

        @Override
        public Integer call() throws IOException {
            GatepassClient client = remote.client();
            ObjectNode config = new ConfigSync(client, client.clientId()).export();
            String text = ConfigFile.write(config, file != null && file.toString().endsWith(".json"));
            if (file == null) {
                PrintWriter out = remote.spec.commandLine().getOut();
                out.print(text);
                out.flush();
            } else {
                Files.writeString(file, text);
                remote.out().message("Wrote " + file);
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Make the server match the file: print the plan (+ create, ~ change, - delete), then make the "
                    + "changes through the management API. Applying the same file again changes nothing.")
    static final class Apply implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Remote remote;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The configuration (YAML or JSON)")
        Path file;
        @Option(names = "--dry-run", description = "Print the plan only; change nothing")
        boolean dryRun;
        @Option(names = "--prune", description = "Also delete what the file does not name (never the management API or "
                + "the app running this command)")
        boolean prune;
        @Option(names = "--secrets-out", paramLabel = "FILE", description = "Write the secrets of the apps this apply creates "
                + "to this new file (mode 600): JSON, or KEY=value lines for a .env file")
        Path secretsOut;
        @Option(names = "--show-secrets", description = "Print the secrets of created apps on standard output instead")
        boolean showSecrets;

        @Override
        public Integer call() throws IOException {
            ObjectNode config = ConfigFile.read(file);
            GatepassClient client = remote.client();
            ConfigSync sync = new ConfigSync(client, client.clientId());
            ConfigSync.Result plan = sync.sync(config, prune, false, true);
            Output out = remote.out();
            if (plan.changes().isEmpty()) {
                out.message("No changes: the server matches " + file + ".");
                return ExitCode.OK;
            }
            print(out, plan, dryRun ? "Plan" : "Applying");
            if (dryRun) return ExitCode.OK;
            if (secretsOut != null && Files.exists(secretsOut)) {
                throw new CliException(ExitCode.USAGE, "--secrets-out " + secretsOut + " exists; name a new file");
            }
            ConfigSync.Result done = sync.sync(config, prune, true, secretsOut != null || showSecrets);
            if (!done.secrets().isEmpty()) {
                if (secretsOut != null) {
                    writeSecrets(secretsOut, done.secrets());
                    out.message("Wrote the secrets of " + done.secrets().size() + " new app(s) to " + secretsOut);
                } else {
                    for (ConfigSync.NewSecret secret : done.secrets()) {
                        out.message(secret.clientName() + ": client_id " + secret.clientId() + " client_secret " + secret.secret());
                    }
                    out.warn(AppsCommand.SECRET_WARNING);
                }
            }
            out.message("Applied: " + summary(done) + ".");
            return ExitCode.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compare the server with the file: exit 0 when it matches, 1 with the plan when it drifted.")
    static final class Diff implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Remote remote;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The configuration (YAML or JSON)")
        Path file;
        @Option(names = "--prune", description = "Count what the file does not name as drift too")
        boolean prune;

        @Override
        public Integer call() {
            ObjectNode config = ConfigFile.read(file);
            GatepassClient client = remote.client();
            ConfigSync.Result plan = new ConfigSync(client, client.clientId()).sync(config, prune, false, true);
            Output out = remote.out();
            if (plan.changes().isEmpty()) {
                out.message("No drift: the server matches " + file + ".");
                return ExitCode.OK;
            }
            print(out, plan, "Drift");
            return ExitCode.FAILURE;
        }
    }

    static void print(Output out, ConfigSync.Result plan, String heading) {
        out.message(heading + ":");
        for (ConfigSync.Change change : plan.changes()) out.message("  " + change.line());
        out.message(heading + ": " + summary(plan) + ".");
    }

    static String summary(ConfigSync.Result plan) {
        return plan.count('+') + " to create, " + plan.count('~') + " to change, " + plan.count('-') + " to delete";
    }

    /** Secrets once, to a new file only this user can read. */
    static void writeSecrets(Path file, List<ConfigSync.NewSecret> secrets) throws IOException {
        StringBuilder text = new StringBuilder();
        if (file.toString().endsWith(".env")) {
            for (ConfigSync.NewSecret secret : secrets) {
                String name = secret.clientName().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
                text.append(name).append("_CLIENT_ID=").append(secret.clientId()).append('\n');
                text.append(name).append("_CLIENT_SECRET=").append(secret.secret()).append('\n');
            }
        } else {
            List<Map<String, String>> list = secrets.stream().map(secret -> {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("client_name", secret.clientName());
                entry.put("client_id", secret.clientId());
                entry.put("client_secret", secret.secret());
                return entry;
            }).toList();
            text.append(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(list))
                    .append('\n');
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
