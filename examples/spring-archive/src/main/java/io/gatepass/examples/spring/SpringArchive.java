package io.gatepass.examples.spring;

import io.gatepass.examples.ArchiveScenario;
import io.gatepass.examples.ScenarioSetup;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The brief's archive example on Spring Boot, against a running Gatepass: registers the storage API and two apps
 * (as the plain Java example does), starts the storage API and the two callers as Spring Boot apps with the
 * starter, and prints what each is allowed: the archiver writes every 2 seconds, the reader reads every 3. Block
 * the archiver meanwhile ({@code ./gatepass apps block <id>}) and watch its writes turn to 401 within seconds.
 *
 * <p>Settings from the environment: {@code GATEPASS_SERVER} (default http://localhost:8080),
 * {@code GATEPASS_CLIENT_ID} and {@code GATEPASS_CLIENT_SECRET} of an admin app.
 */
public final class SpringArchive {
    public static final String STORAGE_API = "https://storage.example.local";

    private SpringArchive() {
    }

    /** The three apps of the example, started. */
    public record Running(ConfigurableApplicationContext storage, URI archive, ScenarioSetup.App archiverApp,
                          ConfigurableApplicationContext archiverContext, ScenarioSetup.App readerApp,
                          ConfigurableApplicationContext readerContext) implements AutoCloseable {
        public ArchiveCaller archiver() {
            return archiverContext.getBean(ArchiveCaller.class);
        }

        public ArchiveCaller reader() {
            return readerContext.getBean(ArchiveCaller.class);
        }

        @Override
        public void close() {
            archiverContext.close();
            readerContext.close();
            storage.close();
        }
    }

    public static Running start(URI issuer, ScenarioSetup setup, String... storageProperties) throws Exception {
        String apiId = setup.storageApi(STORAGE_API);
        ScenarioSetup.App archiverApp = setup.app("archiver", apiId, StorageApplication.WRITE);
        ScenarioSetup.App readerApp = setup.app("reader", apiId, StorageApplication.READ);
        ConfigurableApplicationContext storage = new SpringApplicationBuilder(StorageApplication.class)
                .properties("spring.application.name=storage", "server.port=0", "spring.main.banner-mode=off",
                        "logging.level.root=WARN", "gatepass.issuer-uri=" + issuer, "gatepass.audience=" + STORAGE_API)
                .properties(storageProperties).run();
        URI archive = URI.create("http://127.0.0.1:" + storage.getEnvironment().getProperty("local.server.port") + "/archive");
        return new Running(storage, archive, archiverApp, caller("archiver", issuer, archiverApp, archive),
                readerApp, caller("reader", issuer, readerApp, archive));
    }

    private static ConfigurableApplicationContext caller(String name, URI issuer, ScenarioSetup.App app, URI archive) {
        return new SpringApplicationBuilder(ArchiveCaller.Application.class).web(WebApplicationType.NONE)
                .properties("spring.application.name=" + name, "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "archive.url=" + archive, "gatepass.issuer-uri=" + issuer,
                        "gatepass.client.client-id=" + app.clientId(), "gatepass.client.client-secret=" + app.secret(),
                        "gatepass.client.audience=" + STORAGE_API)
                .run();
    }

    public static void main(String[] args) throws Exception {
        URI issuer = ArchiveScenario.issuer();
        Running running = start(issuer, ArchiveScenario.adminSetup(issuer));
        System.out.printf("storage API %s at %s (Spring Boot)%narchiver app %s (archive:write), reader app %s (archive:read)%n",
                STORAGE_API, running.archive(), running.archiverApp().clientId(), running.readerApp().clientId());
        System.out.printf("block the archiver with:  ./gatepass apps block %s%n%n", running.archiverApp().clientId());
        System.out.println("archiver tries to read: " + running.archiver().read() + "   reader tries to write: "
                + running.reader().write());
        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2);
        ArchiveCaller archiver = running.archiver();
        ArchiveCaller reader = running.reader();
        schedule.scheduleAtFixedRate(() -> ArchiveScenario.report("archiver writes", archiver.write()), 0, 2, TimeUnit.SECONDS);
        schedule.scheduleAtFixedRate(() -> ArchiveScenario.report("reader reads   ", reader.read()), 1, 3, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            schedule.shutdownNow();
            running.close();
        }));
        Thread.currentThread().join();
    }
}
