package io.gatepass.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatepass} command. */
@Command(name = "gatepass",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Gatepass: a machine-to-machine OAuth 2.0 authorization server.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class GatepassCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new GatepassCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
