package io.gatepass.cli;

import io.gatepass.server.keys.MasterKey;
import io.gatepass.server.store.sql.SqliteBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatepass backup} and {@code restore}: the embedded store, on this machine (docs/deploy.md). They read the
 * data directory, not the server over HTTP, and work while it runs. PostgreSQL has its own tools (pg_dump).
 */
final class BackupCommands {
    private BackupCommands() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy the embedded store of a data directory to a new file, consistently, while the server "
                    + "runs (SQLite VACUUM INTO). The master key is not in it unless --with-master-key.")
    static final class Backup implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--data-dir", defaultValue = "${env:GATEPASS_DATA_DIR:-data}", description = "The server's data "
                + "directory (GATEPASS_DATA_DIR). Default: ${DEFAULT-VALUE}")
        Path dataDir;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The backup file to make (must not exist)")
        Path out;
        @Option(names = "--with-master-key", description = "Also copy the data directory's master.key to FILE.master.key "
                + "(mode 600): keep it apart from the backup")
        boolean withMasterKey;

        @Override
        public Integer call() throws IOException {
            try {
                SqliteBackup.backup(dataDir, out);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            }
            spec.commandLine().getOut().println("Backed up " + SqliteBackup.database(dataDir) + " to " + out);
            Path key = dataDir.resolve(MasterKey.FILE_NAME);
            if (withMasterKey) {
                if (!Files.exists(key)) throw new CliException(ExitCode.USAGE, "no " + key + ": this server's master key is "
                        + "GATEPASS_MASTER_KEY; keep that value instead");
                Path copy = Path.of(out + ".master.key");
                Files.createFile(copy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(copy, Files.readAllBytes(key));
                spec.commandLine().getOut().println("Copied the master key to " + copy + ": store it apart from the backup");
            } else {
                spec.commandLine().getErr().println("The backup's signing keys are encrypted under the master key ("
                        + (Files.exists(key) ? key : "GATEPASS_MASTER_KEY") + "), which is not in it: a restore needs it.");
            }
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Put a backup in place as the store of a new or empty data directory (checked first).")
    static final class Restore implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file")
        Path from;
        @Option(names = "--data-dir", required = true, description = "The data directory to restore into")
        Path dataDir;
        @Option(names = "--master-key", paramLabel = "FILE", description = "The master key file to put beside it "
                + "(or start the server with GATEPASS_MASTER_KEY)")
        Path masterKey;

        @Override
        public Integer call() throws IOException {
            try {
                SqliteBackup.restore(from, dataDir);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            }
            if (masterKey != null) {
                Path key = dataDir.resolve(MasterKey.FILE_NAME);
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(key, Files.readAllBytes(masterKey));
            }
            spec.commandLine().getOut().println("Restored " + from + " into " + dataDir + "; start it with ./gatepass serve "
                    + "--data-dir " + dataDir + (masterKey == null ? " and its GATEPASS_MASTER_KEY" : ""));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
