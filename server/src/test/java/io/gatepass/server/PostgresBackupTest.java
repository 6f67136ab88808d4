package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL backup procedure of docs/keys.md, run as written: pg_dump of a live Gatepass database,
 * pg_restore into an empty one, and a node on the copy with the same master key serves the same keys and apps.
 */
class PostgresBackupTest {
    private static final String ISSUER = "http://gatepass.pg-backup.test";

    @TempDir
    Path dataDir;
    @TempDir
    Path copyDir;

    private static void run(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of(command));
        full.set(0, PostgresCluster.binaries().resolve(command[0]).toString());
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String database(String url) {
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    @Test
    void pgDumpWhenTakenWhileANodeRunsThenARestoredDatabaseServesTheSameKeysAppsAndTokens() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServer.onPostgres(), "the PostgreSQL procedure needs PostgreSQL");
        ServerConfig original = TestServer.config(dataDir).toBuilder().issuer(ISSUER).build();
        String port = Integer.toString(PostgresCluster.shared().port());
        Path dump = dataDir.resolve("gatepass.dump");
        String token;
        String jwks;
        TestServer.GrantedApp granted;
        try (TestServer node = TestServer.start(original)) {
            granted = node.grantedApp(List.of("read"), "read");
            token = node.tokenRequest(granted.app(), "audience", granted.identifier()).json().get("access_token").asText();
            jwks = node.get("/.well-known/jwks.json").body();
            run("pg_dump", "-Fc", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", database(original.databaseUrl()),
                    "-f", dump.toString());
        }
        String copyUrl = PostgresCluster.shared().databaseUrl(copyDir); // a new, empty database
        run("pg_restore", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", database(copyUrl), dump.toString());
        ServerConfig copy = original.toBuilder().dataDir(copyDir).databaseUrl(copyUrl).build();
        try (TestServer node = TestServer.start(copy)) {
            assertThat(node.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
            assertThat(node.introspect(granted.app(), token).json().get("active").asBoolean()).isTrue();
            assertThat(node.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        }
    }
}
