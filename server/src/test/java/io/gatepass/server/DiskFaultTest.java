package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.limits.RateLimitPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the embedded store and a read-only PostgreSQL, made for real: the SQLite data directory is on a
 * small tmpfs (mounted by the test, which needs root; GATEPASS_REQUIRE_DISK_FAULTS makes a failed mount a failure,
 * as in CI) filled up with a file; PostgreSQL is switched to read-only transactions. Management writes get a 503 problem that says why and change
 * nothing; tokens are issued meanwhile; writes work again once there is room, without a restart; SQLite's
 * integrity check passes and a restart finds every answered change.
 */
class DiskFaultTest {
    @TempDir
    Path temp;

    private Path disk;

    private void mountASmallDisk() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(TestServer.onPostgres(), "the embedded store's files only");
        disk = temp.resolve("disk");
        Files.createDirectories(disk);
        String failed = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString());
        if (failed != null) {
            disk = null;
            if (System.getenv("GATEPASS_REQUIRE_DISK_FAULTS") != null) throw new AssertionError("cannot mount a tmpfs: " + failed);
            org.junit.jupiter.api.Assumptions.abort("cannot mount a small tmpfs here (needs root): " + failed);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) run("umount", "-l", disk.toString());
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        return process.exitValue() == 0 ? null : command[0] + " exited " + process.exitValue() + ": " + output.trim();
    }

    private ServerConfig config() {
        // one issuer across the restart (the port changes), so that a token from before it still verifies
        return ServerConfig.builder().port(0).dataDir(disk.resolve("data")).bootstrapAdminSecret(TestServer.ADMIN_SECRET)
                .build().toBuilder().issuer("https://gatepass.disk.test").limits(RateLimitPolicy.NONE).build();
    }

    private static Response createApi(TestServer gatepass, String identifier) {
        return gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"" + identifier + "\",\"name\":\"disk\",\"scopes\":[{\"value\":\"x\"}]}");
    }

    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(block);
        } catch (IOException full) {
            if (!full.getMessage().contains("No space left")) throw full;
        }
    }

    @Test
    void managementWriteWhenTheDiskIsFullThen503SayingWhyTokensGoOnAndWritesWorkAgainWhenThereIsRoom() throws Exception {
        mountASmallDisk();
        String refused = TestServer.uniqueIdentifier();
        String later = TestServer.uniqueIdentifier();
        String token;
        GrantedApp setup;
        try (TestServer gatepass = TestServer.start(config())) {
            setup = gatepass.grantedApp(List.of("read"), "read");
            token = gatepass.token(setup.app().clientId(), setup.app().secret(), setup.identifier(), null);
            Path filler = disk.resolve("filler");
            fill(filler);

            Response full = createApi(gatepass, refused);
            Response app = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"during\"}");
            int issued = 0;
            for (int i = 0; i < 20; i++) {
                if (gatepass.tokenRequest(setup.app(), "audience", setup.identifier()).status() == 200) issued++;
            }

            assertThat(full.assertProblem(503)).contains("disk is full").contains("nothing was changed");
            assertThat(full.header("Retry-After")).isEqualTo("30");
            assertThat(app.assertProblem(503)).contains("disk is full");
            assertThat(issued).as("token requests while the disk is full").isEqualTo(20);
            assertThat(gatepass.get("/health/ready").status()).isEqualTo(200);

            Files.delete(filler);
            assertThat(createApi(gatepass, later).status()).as("no restart needed").isEqualTo(201);
        }
        assertThat(integrityCheck()).isEqualTo("ok");
        try (TestServer restarted = TestServer.start(config())) {
            assertThat(restarted.admin("GET", "/admin/apis?identifier=" + later, null).json()).hasSize(1);
            assertThat(restarted.admin("GET", "/admin/apis?identifier=" + refused, null).json()).isEmpty();
            Response introspected = restarted.introspect(setup.app(), token);
            assertThat(introspected.json().path("active").asBoolean()).as(introspected.body()).isTrue();
        }
    }

    @Test
    void managementWriteWhenTheDatabaseIsReadOnlyThen503SayingWhyTokensGoOnAndWritesWorkAgainWhenItIsWritable() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServer.onPostgres(), "PostgreSQL's read-only mode");
        // PostgreSQL in read-only mode (a standby promoted late, a full disk's emergency setting): the server's
        // sessions are ended and come back read-only
        Path dataDir = temp.resolve("pg");
        try (TestServer gatepass = TestServer.start(dataDir)) {
            String database = database(dataDir);
            GrantedApp setup = gatepass.grantedApp(List.of("read"), "read");
            String refused = TestServer.uniqueIdentifier();
            String later = TestServer.uniqueIdentifier();
            readOnly(database, true);

            Response readOnly = retryWhileReconnecting(() -> createApi(gatepass, refused));
            Response token = gatepass.tokenRequest(setup.app(), "audience", setup.identifier());

            assertThat(readOnly.assertProblem(503)).contains("read-only").contains("nothing was changed");
            assertThat(token.status()).as(token.body()).isEqualTo(200);

            readOnly(database, false);
            Response created = retryWhileReconnecting(() -> createApi(gatepass, later));
            assertThat(created.status()).as("no restart needed: " + created.body()).isEqualTo(201);
            assertThat(gatepass.admin("GET", "/admin/apis?identifier=" + refused, null).json()).isEmpty();
        }
    }

    /** The first request after the sessions were ended may find the pool's connection gone: a 503 that says so. */
    private static Response retryWhileReconnecting(java.util.function.Supplier<Response> call) throws InterruptedException {
        Response response = call.get();
        for (int i = 0; i < 20 && response.status() == 503 && response.body().contains("unavailable"); i++) {
            Thread.sleep(250);
            response = call.get();
        }
        return response;
    }

    private static String database(Path dataDir) {
        String url = PostgresCluster.shared().databaseUrl(dataDir);
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    private static void readOnly(String database, boolean on) throws Exception {
        try (Connection admin = DriverManager.getConnection(PostgresCluster.shared().url("postgres"))) {
            admin.createStatement().execute("ALTER DATABASE " + database + " SET default_transaction_read_only = " + on);
            admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + database + "' AND pid <> pg_backend_pid()");
        }
    }

    private Path database() {
        return disk.resolve("data/gatepass.db");
    }

    private String integrityCheck() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database());
             ResultSet rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
