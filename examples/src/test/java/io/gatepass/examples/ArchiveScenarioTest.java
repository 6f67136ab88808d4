package io.gatepass.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.verifier.GatepassVerifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The brief's archive scenario end to end: a real Gatepass, the three example services, a block mid-run. */
class ArchiveScenarioTest {
    private static final String ADMIN_SECRET = "examples-test-bootstrap-secret-0123456789";
    private static final Duration FEED_BOUND = Duration.ofMillis(300);

    @TempDir
    Path dataDir;

    @Test
    void scenarioWhenRunThenEachServiceDoesOnlyItsPartAndABlockedArchiverIsRefusedWithinTheFeedBound() throws Exception {
        try (GatepassServer gatepass = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir)
                .bootstrapAdminSecret(ADMIN_SECRET).build())) {
            URI issuer = URI.create(gatepass.issuer());
            ScenarioSetup setup = new ScenarioSetup(issuer, "gatepass-admin", ADMIN_SECRET);
            String apiId = setup.storageApi(ArchiveScenario.STORAGE_API);
            assertThat(setup.storageApi(ArchiveScenario.STORAGE_API)).as("found, not registered twice").isEqualTo(apiId);
            ScenarioSetup.App archiverApp = setup.app("archiver", apiId, StorageService.WRITE);
            ScenarioSetup.App readerApp = setup.app("reader", apiId, StorageService.READ);
            GatepassVerifier verifier = GatepassVerifier.builder().issuer(issuer).audience(ArchiveScenario.STORAGE_API)
                    .pollRevocations(FEED_BOUND).build();
            try (StorageService storage = new StorageService(verifier, 0)) {
                URI archive = URI.create("http://127.0.0.1:" + storage.port() + "/archive");
                GatepassTokenSource archiverTokens = tokens(issuer, archiverApp);
                ArchiveClient archiver = new ArchiveClient("archiver", archiverTokens, archive);
                ArchiveClient reader = new ArchiveClient("reader", tokens(issuer, readerApp), archive);

                assertThat(archiver.write()).isEqualTo(201);
                assertThat(archiver.write()).isEqualTo(201);
                assertThat(archiver.read()).as("the archiver cannot read").isEqualTo(403);
                assertThat(reader.read()).isEqualTo(200);
                assertThat(reader.write()).as("the reader cannot write").isEqualTo(403);
                assertThat(storage.entries()).hasSize(2).allMatch(entry -> entry.startsWith(archiverApp.clientId()));

                io.gatepass.client.AccessToken tokenBeforeBlock = archiverTokens.token();
                setup.block(archiverApp.clientId());
                long blockedAt = System.nanoTime();
                int status = 201;
                while (status == 201 && System.nanoTime() - blockedAt < Duration.ofSeconds(5).toNanos()) {
                    Thread.sleep(20);
                    status = archiver.write();
                }
                Duration refusedAfter = Duration.ofNanos(System.nanoTime() - blockedAt);

                assertThat(status).as("the blocked archiver's write").isEqualTo(401);
                assertThat(refusedAfter).as("within the feed bound (plus a poll's round trip)")
                        .isLessThan(FEED_BOUND.multipliedBy(3));
                assertThat(tokenBeforeBlock.expiresAt()).as("although its JWT had not expired").isAfter(java.time.Instant.now());
                assertThat(reader.read()).as("the reader is unaffected").isEqualTo(200);
            }
        }
    }

    private static GatepassTokenSource tokens(URI issuer, ScenarioSetup.App app) {
        return GatepassTokenSource.builder().issuer(issuer).auth(ClientAuth.clientSecretBasic(app.clientId(), app.secret()))
                .audience(ArchiveScenario.STORAGE_API).build();
    }
}
