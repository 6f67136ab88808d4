package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatepass export}, {@code apply} and {@code diff} against real servers, and {@code serve --config} as a
 * process: round trips, idempotence, plans, dry runs, pruning, secrets, and files with errors.
 */
class ConfigAsCodeTest {
    private static final String ADMIN_SECRET = "config-test-bootstrap-secret-0123456789-abcd";
    private static final String FILE = """
            gatepass: 1
            apis:
              - identifier: https://archive.example.com
                name: Archive
                scopes:
                  - archive:read
                  - value: archive:write
                    description: Write archives
                token_lifetime: 900
                signing_alg: ES256
                token_profile: rfc9068
            apps:
              - client_name: archiver
                token_endpoint_auth_method: client_secret_basic
                claims:
                  tenant: acme
                grants:
                  - api: https://archive.example.com
                    scopes: [archive:write]
              - client_name: nightly-job
                token_endpoint_auth_method: federated_jwt
                federated_credentials:
                  - issuer: https://kubernetes.default.svc
                    subject: system:serviceaccount:jobs:nightly
                grants:
                  - api: https://archive.example.com
                    scopes: [archive:read]
            trusted_issuers:
              - issuer: https://kubernetes.default.svc
                name: cluster
                preset: kubernetes
                jwks:
                  keys:
                    - kty: EC
                      crv: P-256
                      kid: cluster-1
                      x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU
                      y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0
                audiences: [https://auth.example.com]
                max_assertion_lifetime: 3600
                allow_reuse: true
            """;

    @TempDir
    Path dir;
    final List<GatepassServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(GatepassServer::close);
    }

    private GatepassServer server(String name) {
        GatepassServer server = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dir.resolve(name))
                .bootstrapAdminSecret(ADMIN_SECRET).build());
        servers.add(server);
        return server;
    }

    private static CliTest.Run gatepass(GatepassServer server, String... args) {
        return CliTest.on(server, "gatepass-admin", ADMIN_SECRET, args);
    }

    private Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void applyWhenOnAnEmptyServerThenExportGivesTheSameFileAndASecondApplyChangesNothing() throws Exception {
        GatepassServer first = server("first");
        Path config = file("gatepass.yaml", FILE);
        Path secrets = dir.resolve("secrets.json");

        CliTest.Run dry = gatepass(first, "apply", "-f", config.toString(), "--dry-run").ok();
        assertThat(dry.out()).contains("+ api https://archive.example.com", "+ app archiver", "+ trusted issuer",
                "+ grant archiver → https://archive.example.com", "+ federated credential nightly-job")
                .contains("7 to create, 0 to change, 0 to delete");
        assertThat(gatepass(first, "export").ok().out()).doesNotContain("archiver"); // the dry run changed nothing
        assertThat(gatepass(first, "apply", "-f", config.toString()).exitCode()).as("a secret would be lost").isEqualTo(ExitCode.USAGE);
        assertThat(gatepass(first, "export").ok().out()).doesNotContain("archiver");

        CliTest.Run applied = gatepass(first, "apply", "-f", config.toString(), "--secrets-out", secrets.toString()).ok();
        assertThat(applied.out()).contains("Applied: 7 to create").doesNotContain("gps_");
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(secrets)).contains("\"client_name\" : \"archiver\"", "gps_").doesNotContain("nightly-job");
        assertThat(gatepass(first, "apply", "-f", config.toString()).ok().out()).contains("No changes");
        assertThat(gatepass(first, "diff", "-f", config.toString()).exitCode()).isZero();

        String exported = gatepass(first, "export").ok().out();
        assertThat(gatepass(first, "export").ok().out()).isEqualTo(exported);
        Path exportFile = file("exported.yaml", exported);
        GatepassServer second = server("second");
        gatepass(second, "apply", "-f", exportFile.toString(), "--secrets-out", dir.resolve("s2.env").toString()).ok();
        assertThat(Files.readString(dir.resolve("s2.env"))).containsPattern("ARCHIVER_CLIENT_SECRET=gps_");
        assertThat(gatepass(second, "export").ok().out()).isEqualTo(exported);
        assertThat(gatepass(second, "export", "-f", dir.resolve("e.json").toString()).exitCode()).isZero();
        assertThat(gatepass(second, "diff", "-f", dir.resolve("e.json").toString()).exitCode()).as("JSON reads too").isZero();
    }

    @Test
    void fileWhenChangedThenThePlanShowsItAndPruneRemovesExactlyWhatIsMissing() throws Exception {
        GatepassServer server = server("server");
        Path config = file("gatepass.yaml", FILE);
        gatepass(server, "apply", "-f", config.toString(), "--show-secrets").ok();
        CliTest.Run manual = gatepass(server, "apps", "create", "--name", "made-by-hand", "-o", "json").ok();
        String handMade = manual.json().get("client_id").asText();

        Path changed = file("changed.yaml", FILE.replace("scopes: [archive:write]", "scopes: [archive:write, archive:read]")
                .replace("token_lifetime: 900", "token_lifetime: 600")
                .replace("      - archive:read\n", "      - archive:read\n      - archive:delete\n").replace("""
                          - client_name: nightly-job
                            token_endpoint_auth_method: federated_jwt
                            federated_credentials:
                              - issuer: https://kubernetes.default.svc
                                subject: system:serviceaccount:jobs:nightly
                            grants:
                              - api: https://archive.example.com
                                scopes: [archive:read]
                        """, ""));
        CliTest.Run drift = gatepass(server, "diff", "-f", changed.toString());
        assertThat(drift.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(drift.out()).contains("~ api https://archive.example.com: scopes ")
                .contains("archive:delete").contains("token_lifetime 900 → 600")
                .contains("~ grant archiver → https://archive.example.com: scopes [archive:write] → [archive:read, archive:write]")
                .doesNotContain("- app");
        CliTest.Run pruneDrift = gatepass(server, "diff", "-f", changed.toString(), "--prune");
        assertThat(pruneDrift.out()).contains("- app nightly-job", "- app made-by-hand (" + handMade + ")")
                .doesNotContain("gatepass-admin").doesNotContain("urn:gatepass:admin");

        gatepass(server, "apply", "-f", changed.toString(), "--prune").ok();
        assertThat(gatepass(server, "diff", "-f", changed.toString(), "--prune").exitCode()).isZero();
        String after = gatepass(server, "export").ok().out();
        assertThat(after).contains("token_lifetime: 600", "archive:read").doesNotContain("nightly-job", "made-by-hand");
        assertThat(after).contains("https://kubernetes.default.svc"); // still named by the file
        assertThat(gatepass(server, "apis", "list").ok().out()).contains("urn:gatepass:admin");
        assertThat(gatepass(server, "apps", "show", "gatepass-admin").exitCode()).isZero();
    }

    @Test
    void fileWhenItHasErrorsThenEachIsNamedWithLineAndColumnAndNothingIsApplied() throws Exception {
        GatepassServer server = server("server");
        Path broken = file("broken.yaml", """
                gatepass: 1
                apis:
                  - identifier: https://a.example.com
                    token_lifetime: soon
                    colour: blue
                  - identifier: https://a.example.com
                apps:
                  - client_name: x
                    grants:
                      - api: https://nowhere.example.com
                        scopes: [read]
                  - client_name: y
                    status: paused
                """);
        CliTest.Run refused = gatepass(server, "apply", "-f", broken.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(refused.err()).contains(broken + ":4:21: token_lifetime must be a whole number")
                .contains(broken + ":5:5: unknown field \"colour\"")
                .contains(broken + ":6:17: duplicate identifier https://a.example.com")
                .contains(broken + ":10:14: unknown API https://nowhere.example.com in a grant")
                .contains(broken + ":13:13: status must be one of active, blocked");
        assertThat(gatepass(server, "export").ok().out()).doesNotContain("a.example.com");
        Path syntax = file("syntax.json", "{\"apis\": [ {\"identifier\": \"x\" ");
        assertThat(gatepass(server, "diff", "-f", syntax.toString()).err()).contains(syntax + ":1:");
    }

    @Test
    void schemaWhenPublishedThenItIsTheOneTheCommandsCheckWith() throws Exception {
        Path published = Path.of("..", "docs", "config-schema.json");
        try (var inJar = ConfigFile.class.getResourceAsStream("config-schema.json")) {
            assertThat(Files.readString(published)).isEqualTo(new String(inJar.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(ConfigFile.APP.fields()).containsKey("dpop_bound_access_tokens");
        assertThat(ConfigFile.ISSUER.allowed().get("preset")).contains("kubernetes", "spiffe");
    }

    @Test
    void serveWithConfigWhenStartedFreshAndAgainThenAppliedOnceAndABrokenFileStopsTheStart() throws Exception {
        Path config = file("gatepass.yaml", FILE);
        Path data = dir.resolve("served");
        String firstRun = serve(data, config);
        assertThat(firstRun).contains("Configuration " + config + ": 7 to create").contains("new app archiver: client_id ");
        String secondRun = serve(data, config);
        assertThat(secondRun).contains("Configuration " + config + ": no changes.");

        Path broken = file("broken.yaml", FILE.replace("token_lifetime: 900", "token_lifetime: soon"));
        Process refused = process(data, broken);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains(broken + ":9:21: token_lifetime must be a whole number");
    }

    /** Runs {@code gatepass serve --config} as its own process until it says it is ready; returns what it printed. */
    private static String serve(Path data, Path config) throws Exception {
        Process process = process(data, config);
        StringBuilder printed = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                printed.append(line).append('\n');
                if (line.startsWith("Gatepass is ready")) break;
            }
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(printed.toString()).contains("Gatepass is ready");
        return printed.toString();
    }

    private static Process process(Path data, Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GatepassCommand.class.getName(), "serve", "--port", "0", "--data-dir", data.toString(), "--config",
                config.toString());
        builder.environment().put("GATEPASS_BOOTSTRAP_ADMIN_SECRET", ADMIN_SECRET);
        builder.environment().remove("GATEPASS_CLIENT_ID");
        builder.environment().remove("GATEPASS_CLIENT_SECRET");
        return builder.start();
    }
}
