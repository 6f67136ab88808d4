package io.gatepass.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} into a temporary directory and {@code pg_ctl start}
 * on a free port, from the server binaries installed on the machine, as the {@code postgres} user when the tests
 * run as root (PostgreSQL refuses root). One per test JVM, stopped and removed at exit. Each test data directory
 * gets its own database, so restarts in a test find their data again. fsync is off for speed (the machine does not
 * crash in a test; a killed server's writes are in the OS cache), commits stay synchronous so that a killed
 * server loses nothing that was committed. The CLI's tests use it too (the server's test jar).
 */
public final class PostgresCluster {
    private static PostgresCluster shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean root;
    private final Map<Path, String> databases = new ConcurrentHashMap<>();

    private PostgresCluster(Path bin) throws IOException, InterruptedException {
        this.bin = bin;
        this.root = "root".equals(System.getProperty("user.name"));
        this.dir = Files.createTempDirectory("gatepass-pg");
        this.port = freePort();
        if (root) run("chown", "postgres", dir.toString());
        Path data = dir.resolve("data");
        run(tool("initdb"), "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        run(tool("pg_ctl"), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c full_page_writes=off -c max_connections=300", "start");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "postgres-test-cluster-stop"));
    }

    /** Where the binaries are, or {@code null}: the highest /usr/lib/postgresql/N/bin, or PG_BIN. */
    public static Path binaries() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "initdb"))) return Path.of(configured);
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) return null;
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            Path bin = binaries();
            if (bin == null) {
                throw new IllegalStateException("PostgreSQL server binaries were not found (looked in /usr/lib/postgresql/*/bin "
                        + "and $PG_BIN); install them (Debian: apt-get install postgresql) to run the tests on PostgreSQL");
            }
            try {
                shared = new PostgresCluster(bin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** The JDBC URL of this data directory's database, created on first use. */
    public String databaseUrl(Path dataDir) {
        String name = databases.computeIfAbsent(dataDir.toAbsolutePath(), d -> {
            String db = "gp_" + Integer.toUnsignedString(d.toString().hashCode(), 36) + "_" + databases.size();
            try (Connection admin = DriverManager.getConnection(url("postgres"))) {
                admin.createStatement().execute("CREATE DATABASE " + db);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + db, e);
            }
            return db;
        });
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    int port() {
        return port;
    }

    /** Stops the server at once (the database "goes away"). */
    void kill() {
        try {
            run(tool("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts it again after {@link #kill()}. */
    void restart() {
        try {
            run(tool("pg_ctl"), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                            + "-c full_page_writes=off -c max_connections=300", "start");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        try {
            run(tool("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root && !command[0].equals("chown")) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
