package io.gatepass.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatepass} command. */
@Command(name = "gatepass",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Gatepass: a machine-to-machine OAuth 2.0 authorization server.",
        subcommands = {ServeCommand.class, ApisCommand.class, AppsCommand.class, GrantsCommand.class, KeysCommand.class,
                AuditCommand.class, IssuersCommand.class, RegistrationTokensCommand.class, TokenCommand.class, IntrospectCommand.class,
                ConfigCommands.Export.class, ConfigCommands.Apply.class, ConfigCommands.Diff.class,
                BackupCommands.Backup.class, BackupCommands.Restore.class,
                ConsoleCommand.class, AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        footer = {"", "Commands other than serve talk to a running server as an app: set GATEPASS_SERVER,",
                "GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET (or the matching flags).",
                "Exit codes: 0 ok, 1 server failure, 2 usage, 3 credentials or scope refused, 4 not found,",
                "5 conflict, 6 server unreachable, 7 request refused as invalid, 8 token not active."})
public final class GatepassCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command tree for these arguments: {@code serve} gets a root holding only itself, because the server's
     * start is timed from launch and picocli reads every command's annotations when it builds the whole tree (a
     * JFR profile of a restart put a third of a second there); the commands parse and answer alike either way.
     */
    static CommandLine commandLine(String... args) {
        if (args.length == 0 || !args[0].equals("serve")) return commandLine();
        CommandLine cli = new CommandLine(CommandLine.Model.CommandSpec.create().name("gatepass"));
        cli.addSubcommand("serve", new ServeCommand());
        return configured(cli);
    }

    static CommandLine commandLine() {
        CommandLine cli = configured(new CommandLine(new GatepassCommand()));
        // the completion script names the command as users type it
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cli;
    }

    private static CommandLine configured(CommandLine cli) {
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // key ids are RFC 7638 thumbprints in base64url, and one in 32 begins with '-': an argument that names no
        // option is a positional value, so `gatepass keys delete -Xq3…` deletes that key instead of failing to parse
        cli.setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (!(error instanceof CliException failure)) throw error;
            commandLine.getErr().println("gatepass: " + failure.getMessage());
            commandLine.getErr().flush();
            return failure.exitCode();
        });
        // a bad flag or value: one line saying which and where the options are, not the whole usage
        cli.setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + error.getMessage()
                    + " (see " + command.getCommandSpec().qualifiedName() + " --help)");
            command.getErr().flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
