package io.gatepass.server.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * Backup and restore of the embedded store. A backup is SQLite's {@code VACUUM INTO}: a consistent copy made in one
 * read transaction while the server keeps running and writing (never a copy of the live file, which can catch a
 * half-written page or miss the write-ahead log). The master key is not in it.
 */
public final class SqliteBackup {
    private SqliteBackup() {
    }

    /** The store file of a data directory. */
    public static Path database(Path dataDir) {
        return dataDir.resolve(SqlStore.SQLITE_FILE);
    }

    /**
     * Copies the store of {@code dataDir} to the new file {@code out}, running or not.
     *
     * @throws IllegalArgumentException naming what is wrong (no store there, the target exists)
     */
    public static void backup(Path dataDir, Path out) {
        Path db = database(dataDir);
        if (!Files.isRegularFile(db)) throw new IllegalArgumentException("no Gatepass store at " + db);
        if (Files.exists(out)) throw new IllegalArgumentException(out + " exists: name a new file");
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(30_000);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
             PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, out.toAbsolutePath().toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("the backup of " + db + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Puts a backup in place as the store of {@code dataDir}, which must hold no store yet; the backup is checked
     * first ({@code PRAGMA integrity_check}, and that it is a Gatepass store).
     */
    public static void restore(Path backup, Path dataDir) {
        if (!Files.isRegularFile(backup)) throw new IllegalArgumentException("no backup file at " + backup);
        Path db = database(dataDir);
        if (Files.exists(db)) {
            throw new IllegalArgumentException(dataDir + " holds a store already: restore into a new or empty data directory");
        }
        check(backup);
        try {
            Files.createDirectories(dataDir);
            try (Stream<Path> files = Files.list(dataDir)) {
                if (files.anyMatch(file -> file.getFileName().toString().startsWith(SqlStore.SQLITE_FILE))) {
                    throw new IllegalArgumentException(dataDir + " holds store files already: restore into an empty one");
                }
            }
            Path partial = dataDir.resolve(SqlStore.SQLITE_FILE + ".restoring");
            Files.copy(backup, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, db, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void check(Path backup) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + backup.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            try (ResultSet integrity = statement.executeQuery("PRAGMA integrity_check")) {
                if (!integrity.next() || !"ok".equals(integrity.getString(1))) {
                    throw new IllegalArgumentException(backup + " is damaged (PRAGMA integrity_check is not ok)");
                }
            }
            try (ResultSet tables = statement.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('signing_keys', 'clients', 'apis')")) {
                if (!tables.next() || tables.getInt(1) != 3) throw new IllegalArgumentException(backup + " is not a Gatepass store");
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(backup + " is not a Gatepass store backup: " + e.getMessage(), e);
        }
    }
}
