package io.gatepass.server.console;

import io.gatepass.server.codec.Json;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.manage.ConsoleSessions;
import io.gatepass.server.manage.Management;
import io.gatepass.server.metrics.MinuteCounts;
import io.gatepass.server.store.Store;
import io.gatepass.server.web.HttpRejection;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

/**
 * The web console under {@code /console}: server-rendered pages on the management service layer, in the same
 * process and with the same rules as the management API. Sign-in is a single-use link from
 * {@code POST /admin/console-links}; see {@link ConsoleSessions}.
 */
public final class Console {
    /** The pages' own files: no CDN, nothing inline (the CSP allows 'self' only). */
    private static final Map<String, String> STATIC = Map.of("console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final ConsoleHttp http;
    private final ConsoleOverview overview;
    private final ConsoleApis apis;
    private final ConsoleApps apps;
    private final ConsoleGrants grants;
    private final ConsoleKeys keys;
    private final ConsoleAudit audit;
    private final Map<String, byte[]> files;

    public Console(Management manage, Store store, KeyRing keyRing, KeyRotation rotation, MinuteCounts throttled, Json json,
                   String publicUrl, Clock clock) {
        this.http = new ConsoleHttp(manage.consoleSessions(), publicUrl);
        this.overview = new ConsoleOverview(http, store, manage.apps(), keyRing, throttled, clock);
        this.apis = new ConsoleApis(http, manage.apis(), keyRing.algorithms());
        this.apps = new ConsoleApps(http, manage.apps(), manage.grants());
        this.grants = new ConsoleGrants(http, manage.apis(), manage.apps(), manage.grants());
        this.keys = new ConsoleKeys(http, keyRing, rotation, clock);
        this.audit = new ConsoleAudit(http, store, json);
        this.files = new java.util.HashMap<>();
        for (String name : STATIC.keySet()) files.put(name, resource(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Console.class.getResourceAsStream("/console/static/" + name)) {
            if (in == null) throw new IllegalStateException("the console's " + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void routing(HttpRouting.Builder routing) {
        routing.get("/console", page(overview::show))
                .get("/console/login", page(this::login))
                .post("/console/logout", page(this::logout))
                .get("/console/static/{file}", this::file)
                .get("/console/apis", page(apis::list))
                .post("/console/apis", page(apis::create))
                .get("/console/apis/{id}", page(apis::edit))
                .post("/console/apis/{id}", page(apis::update))
                .post("/console/apis/{id}/delete", page(apis::delete))
                .get("/console/apps", page(apps::list))
                .post("/console/apps", page(apps::create))
                .get("/console/apps/{client_id}", page(apps::show))
                .post("/console/apps/{client_id}", page(apps::update))
                .post("/console/apps/{client_id}/status", page(apps::status))
                .post("/console/apps/{client_id}/keys", page(apps::keys))
                .post("/console/apps/{client_id}/revoke-tokens", page(apps::revokeTokens))
                .post("/console/apps/{client_id}/secrets", page(apps::createSecret))
                .post("/console/apps/{client_id}/secrets/{secret_id}/delete", page(apps::deleteSecret))
                .post("/console/apps/{client_id}/delete", page(apps::delete))
                .get("/console/grants", page(grants::show))
                .post("/console/grants", page(grants::change))
                .get("/console/keys", page(keys::show))
                .post("/console/keys/rotate", page(keys::rotate))
                .get("/console/audit", page(audit::show))
                .any("/console/*", page((req, res) -> {
                    throw new HttpRejection(404, "no console page at " + req.prologue().method().text() + " "
                            + io.gatepass.server.codec.Text.loggable(req.path().path(), 100));
                }));
    }

    private Handler page(Handler handler) {
        return http.page(handler);
    }

    /** {@code GET /console/login?code=}: the single-use link becomes a session cookie. */
    private void login(ServerRequest req, ServerResponse res) {
        String code = req.query().first("code").asOptional().orElse(null);
        ConsoleSessions.Started started = http.sessions().redeem(code).orElseThrow(() -> new ConsoleHttp.SignedOut(true));
        http.startSession(res, started);
        // a page that moves on by itself rather than a redirect: a link followed from another site's page would
        // carry the new SameSite=Strict cookie on none of that navigation's redirects, and land signed out
        http.render(res, 200, "signed-in.jte", new ConsoleHttp.SignedInView(started.session().clientId()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.changing(req, http.form(req));
        http.endSession(res, signed);
        http.render(res, 200, "signed-out.jte", new ConsoleHttp.SignedOutView(false));
    }

    private void file(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("file");
        byte[] body = files.get(name);
        if (body == null) throw new HttpRejection(404, "no console file " + io.gatepass.server.codec.Text.loggable(name, 60));
        res.header(HeaderNames.CONTENT_TYPE, STATIC.get(name));
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(body);
    }
}
