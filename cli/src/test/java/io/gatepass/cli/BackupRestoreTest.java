package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatepass backup} of a running embedded store and {@code gatepass restore} into a new data directory. */
class BackupRestoreTest {
    private static final String ADMIN_SECRET = "backup-test-bootstrap-secret-0123456789-abc";
    private static final String ISSUER = "http://gatepass.backup.test";

    @TempDir
    Path dir;

    /** {@code gatepass <args>} as the admin app of {@code server}, or with no server for the local commands. */
    private static CliTest.Run gatepass(GatepassServer server, String... args) {
        return server == null ? CliTest.raw(args) : CliTest.on(server, "gatepass-admin", ADMIN_SECRET, args);
    }

    private static GatepassServer start(Path data) {
        return GatepassServer.start(ServerConfig.builder().port(0).issuer(ISSUER).dataDir(data).bootstrapAdminSecret(ADMIN_SECRET).build());
    }

    private static String get(GatepassServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void backupWhenTheServerRunsThenARestoredCopyHasEveryAppAndKeyAndVerifiesOldTokens() throws Exception {
        Path original = dir.resolve("original");
        Path backup = dir.resolve("gatepass-backup.db");
        String jwks;
        String token;
        String clientId;
        String secret;
        GatepassServer running = start(original);
        try {
            gatepass(running, "apis", "create", "--identifier", "https://archive.example.com", "--scope", "archive:write").ok();
            JsonNode app = gatepass(running, "apps", "create", "--name", "archiver", "-o", "json").ok().json();
            clientId = app.get("client_id").asText();
            secret = app.get("client_secret").asText();
            gatepass(running, "grants", "set", clientId, "https://archive.example.com", "--scope", "archive:write").ok();
            token = CliTest.raw("token", "--server", "http://127.0.0.1:" + running.port(), "--client-id", clientId,
                    "--client-secret", secret).ok().out().trim();
            jwks = get(running, "/.well-known/jwks.json");

            CliTest.Run made = gatepass(null, "backup", "--data-dir", original.toString(), "--out", backup.toString(),
                    "--with-master-key").ok();
            assertThat(made.out()).contains("Backed up", "Copied the master key to " + backup + ".master.key");
            assertThat(gatepass(null, "backup", "--data-dir", original.toString(), "--out", backup.toString()).exitCode())
                    .as("never over an existing file").isEqualTo(ExitCode.USAGE);
        } finally {
            running.close();
        }

        Path restored = dir.resolve("restored");
        gatepass(null, "restore", "--from", backup.toString(), "--data-dir", restored.toString(), "--master-key",
                backup + ".master.key").ok();
        assertThat(gatepass(null, "restore", "--from", backup.toString(), "--data-dir", restored.toString()).err())
                .contains("holds a store already");
        GatepassServer copy = start(restored);
        try {
            assertThat(get(copy, "/.well-known/jwks.json")).isEqualTo(jwks);
            assertThat(gatepass(copy, "introspect", token).exitCode()).as("a token of the original is active").isZero();
            assertThat(gatepass(copy, "apps", "show", clientId).ok().out()).contains("archiver");
            assertThat(CliTest.raw("token", "--server", "http://127.0.0.1:" + copy.port(), "--client-id", clientId,
                    "--client-secret", secret).exitCode()).isZero();
        } finally {
            copy.close();
        }

        Path damaged = dir.resolve("damaged.db");
        Files.write(damaged, "not a database at all".getBytes());
        assertThat(gatepass(null, "restore", "--from", damaged.toString(), "--data-dir", dir.resolve("x").toString()).err())
                .contains("not a Gatepass store");
    }
}
