package io.gatepass.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.examples.ScenarioSetup;
import io.gatepass.spring.GatepassProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The archive example on Spring Boot, end to end: a real Gatepass, the three Spring apps, a block mid-run. */
class SpringArchiveTest {

    @Test
    void scenarioWhenRunThenEachSpringAppDoesOnlyItsPartAndABlockedArchiverIsRefusedWithinThePollInterval() throws Exception {
        try (GatepassProcess gatepass = GatepassProcess.start()) {
            ScenarioSetup setup = new ScenarioSetup(gatepass.issuer(), "gatepass-admin", gatepass.adminSecret());
            try (SpringArchive.Running running = SpringArchive.start(gatepass.issuer(), setup,
                    "gatepass.revocation-poll-interval=500ms")) {
                ArchiveCaller archiver = running.archiver();
                ArchiveCaller reader = running.reader();

                assertThat(archiver.write()).isEqualTo(201);
                assertThat(archiver.write()).isEqualTo(201);
                assertThat(archiver.read()).as("the archiver cannot read").isEqualTo(403);
                assertThat(reader.read()).isEqualTo(200);
                assertThat(reader.write()).as("the reader cannot write").isEqualTo(403);
                assertThat(running.storage().getBean(StorageApplication.Archive.class).entries())
                        .hasSize(2).allMatch(entry -> entry.startsWith(running.archiverApp().clientId()));

                setup.block(running.archiverApp().clientId());
                long blockedAt = System.nanoTime();
                int status = 201;
                while (status == 201 && System.nanoTime() - blockedAt < Duration.ofSeconds(5).toNanos()) {
                    Thread.sleep(20);
                    status = archiver.write();
                }

                assertThat(status).as("the blocked archiver's write").isEqualTo(401);
                assertThat(Duration.ofNanos(System.nanoTime() - blockedAt)).as("within the poll interval and a round trip")
                        .isLessThan(Duration.ofMillis(1_500));
                assertThat(reader.read()).as("the reader is unaffected").isEqualTo(200);
            }
        }
    }
}
