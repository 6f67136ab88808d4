package io.gatepass.examples;

import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.verifier.GatepassVerifier;
import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The brief's archive example, end to end against a running Gatepass: registers a storage API and two apps, then
 * runs the storage service, an archiver that writes every 2 seconds and a reader that reads every 3 seconds,
 * printing what each is allowed. Block the archiver meanwhile ({@code gatepass apps block <id>}) and watch its
 * writes turn to 401 within seconds.
 *
 * <p>Settings from the environment: {@code GATEPASS_SERVER} (default http://localhost:8080),
 * {@code GATEPASS_CLIENT_ID} and {@code GATEPASS_CLIENT_SECRET} of an admin app.
 */
public final class ArchiveScenario {
    static final String STORAGE_API = "https://storage.example.local";

    private ArchiveScenario() {
    }

    public static void main(String[] args) throws Exception {
        URI issuer = issuer();
        ScenarioSetup setup = adminSetup(issuer);
        String apiId = setup.storageApi(STORAGE_API);
        ScenarioSetup.App archiverApp = setup.app("archiver", apiId, StorageService.WRITE);
        ScenarioSetup.App readerApp = setup.app("reader", apiId, StorageService.READ);
        GatepassVerifier verifier = GatepassVerifier.builder().issuer(issuer).audience(STORAGE_API)
                .pollRevocations(Duration.ofSeconds(5)).build();
        StorageService storage = new StorageService(verifier, 0);
        URI archive = URI.create("http://127.0.0.1:" + storage.port() + "/archive");
        ArchiveClient archiver = new ArchiveClient("archiver", tokens(issuer, archiverApp), archive);
        ArchiveClient reader = new ArchiveClient("reader", tokens(issuer, readerApp), archive);

        System.out.printf("storage API %s at %s%narchiver app %s (archive:write), reader app %s (archive:read)%n",
                STORAGE_API, archive, archiverApp.clientId(), readerApp.clientId());
        System.out.printf("block the archiver with:  ./gatepass apps block %s%n%n", archiverApp.clientId());
        System.out.println("archiver tries to read: " + archiver.read() + "   reader tries to write: " + reader.write());
        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2);
        schedule.scheduleAtFixedRate(() -> report("archiver writes", archiver.write()), 0, 2, TimeUnit.SECONDS);
        schedule.scheduleAtFixedRate(() -> report("reader reads   ", reader.read()), 1, 3, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            schedule.shutdownNow();
            storage.close();
        }));
        Thread.currentThread().join();
    }

    private static GatepassTokenSource tokens(URI issuer, ScenarioSetup.App app) {
        return GatepassTokenSource.builder().issuer(issuer)
                .auth(ClientAuth.clientSecretBasic(app.clientId(), app.secret())).audience(STORAGE_API).build();
    }

    /** The Gatepass server of {@code GATEPASS_SERVER}. */
    public static URI issuer() {
        return URI.create(env("GATEPASS_SERVER", "http://localhost:8080"));
    }

    /** The set-up as the admin app of {@code GATEPASS_CLIENT_ID} and {@code GATEPASS_CLIENT_SECRET}; exits when unset. */
    public static ScenarioSetup adminSetup(URI issuer) {
        String adminId = env("GATEPASS_CLIENT_ID", null);
        String adminSecret = env("GATEPASS_CLIENT_SECRET", null);
        if (adminId == null || adminSecret == null) {
            System.err.println("set GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET to an admin app (gatepass-admin and the "
                    + "secret printed at the server's first start)");
            System.exit(2);
        }
        return new ScenarioSetup(issuer, adminId, adminSecret);
    }

    /** Prints one call's outcome, with what a refusal means. */
    public static void report(String what, int status) {
        System.out.printf("%s  %s → %d%s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), what, status,
                status / 100 == 2 ? "" : status == 401 ? " (refused: its token was revoked or the app is blocked)" : " (refused)");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
