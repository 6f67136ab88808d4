package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over HTTP, without a browser (ConsoleBrowserTest in the CLI drives it in Chromium): sign-in links,
 * sessions, CSRF and Origin checks, scopes, and the audit trail of console changes. On both stores.
 */
class ConsoleTest extends SharedServer {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String FORM = "application/x-www-form-urlencoded";

    /** A console session: the cookie header to send and the CSRF token of its pages. */
    record Session(String cookie, String csrf) {
    }

    static String link(TestServer server, String token) {
        Response response = server.adminAs(token, "POST", "/admin/console-links", null);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        URI url = URI.create(response.json().get("url").asText());
        assertThat(url.getPath()).isEqualTo("/console/login");
        return url.getRawPath() + "?" + url.getRawQuery();
    }

    static Session signIn(TestServer server, String token) {
        Response login = server.get(link(server, token));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.body()).contains("<meta http-equiv=\"refresh\" content=\"0; url=/console\">");
        String setCookie = login.header("Set-Cookie");
        // plain HTTP on loopback: no Secure (a browser would not send it back), so no __Host- prefix either
        assertThat(setCookie).startsWith("gatepass-console=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Response overview = server.get("/console", "Cookie", cookie);
        assertThat(overview.status()).as(overview.body()).isEqualTo(200);
        Matcher csrf = CSRF.matcher(overview.body());
        assertThat(csrf.find()).isTrue();
        return new Session(cookie, csrf.group(1));
    }

    static Response post(TestServer server, Session session, String path, String form, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie";
        all[1] = session.cookie();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.send("POST", path, FORM, form, all);
    }

    /** An app granted only {@code scopes} on the management API, and its management token. */
    static String managementToken(TestServer server, String... scopes) {
        String adminApi = server.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        App app = server.createApp("console-" + String.join("-", scopes).replace(':', '-'), null);
        server.grant(app.clientId(), adminApi, scopes);
        return server.token(app.clientId(), app.secret(), "urn:gatepass:admin", null);
    }

    @Test
    void consoleWhenSignedInThenPagesServedWithTheirSecurityHeaders() {
        Session session = signIn(gatepass, gatepass.adminToken());
        for (String page : new String[]{"/console", "/console/apis", "/console/apps", "/console/grants", "/console/keys",
                "/console/audit"}) {
            Response response = gatepass.get(page, "Cookie", session.cookie());
            assertThat(response.status()).as(page + ": " + response.body()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
            assertThat(response.header("Cache-Control")).isEqualTo("no-store");
            assertThat(response.body()).doesNotContain("<script>", "style=\"");
        }
    }

    @Test
    void loginWhenLinkReusedThenRefused() {
        String link = link(gatepass, gatepass.adminToken());
        assertThat(gatepass.get(link).status()).isEqualTo(200);

        Response again = gatepass.get(link);

        assertThat(again.status()).isEqualTo(401);
        assertThat(again.header("Set-Cookie")).isNull();
        assertThat(again.body()).contains("used already or has expired");
        assertThat(gatepass.get("/console/login?code=nothing-of-ours").status()).isEqualTo(401);
        assertThat(gatepass.get("/console/login").status()).isEqualTo(401);
    }

    @Test
    void consoleWhenNoSessionThenSignInPage() {
        Response response = gatepass.get("/console/apps");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).contains("gatepass console");
        assertThat(gatepass.get("/console", "Cookie", "gatepass-console=forged").status()).isEqualTo(401);
    }

    @Test
    void consoleLinkWhenTokenHasNoManagementScopeThen403() {
        TestServer.GrantedApp business = gatepass.grantedApp(java.util.List.of("read"), "read");
        String notManagement = gatepass.token(business.app().clientId(), business.app().secret(), business.identifier(), null);

        assertThat(gatepass.adminAs(notManagement, "POST", "/admin/console-links", null).assertProblem(401))
                .contains("urn:gatepass:admin");
        assertThat(gatepass.send("POST", "/admin/console-links", null, null).status()).isEqualTo(401);
    }

    @Test
    void postWhenCsrfTokenMissingOrWrongOrOriginForeignThen403AndNothingChanged() {
        Session session = signIn(gatepass, gatepass.adminToken());
        String identifier = TestServer.uniqueIdentifier();
        String fields = "identifier=" + java.net.URLEncoder.encode(identifier, java.nio.charset.StandardCharsets.UTF_8) + "&name=forged";

        Response noToken = post(gatepass, session, "/console/apis", fields);
        Response wrongToken = post(gatepass, session, "/console/apis", fields + "&csrf=" + session.csrf() + "x");
        Response foreign = post(gatepass, session, "/console/apis", fields + "&csrf=" + session.csrf(),
                "Origin", "https://evil.example");
        Response crossSite = post(gatepass, session, "/console/apis", fields + "&csrf=" + session.csrf(),
                "Sec-Fetch-Site", "cross-site");

        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token");
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(gatepass.admin("GET", "/admin/apis?identifier=" + identifier, null).json()).isEmpty();
    }

    @Test
    void postWhenCsrfTokenAndOwnOriginThenChangeMadeAndAuditedViaConsole() {
        Session session = signIn(gatepass, gatepass.adminToken());
        String identifier = TestServer.uniqueIdentifier();
        String origin = gatepass.issuer();

        Response created = post(gatepass, session, "/console/apis", "csrf=" + session.csrf() + "&identifier="
                + java.net.URLEncoder.encode(identifier, java.nio.charset.StandardCharsets.UTF_8)
                + "&name=Archive&scopes=" + java.net.URLEncoder.encode("archive:read Read\r\narchive:write Write", java.nio.charset.StandardCharsets.UTF_8),
                "Origin", origin);

        assertThat(created.status()).as(created.body()).isEqualTo(303);
        JsonNode api = gatepass.admin("GET", "/admin/apis?identifier=" + identifier, null).json().get(0);
        assertThat(api.get("scopes").toString()).contains("archive:read", "archive:write", "Write");
        JsonNode events = gatepass.admin("GET", "/admin/audit?type=api.created&client_id=gatepass-admin&limit=50", null).json();
        JsonNode event = null;
        for (JsonNode candidate : events) if (candidate.get("target").asText().equals(api.get("id").asText())) event = candidate;
        assertThat(event).isNotNull();
        assertThat(event.get("actor").asText()).isEqualTo("gatepass-admin");
        assertThat(event.get("details").get("via").asText()).isEqualTo("console");
        // the management API's own changes carry no via
        String other = gatepass.createApi(TestServer.uniqueIdentifier(), "x");
        JsonNode viaApi = gatepass.admin("GET", "/admin/audit?type=api.created&limit=5", null).json().get(0);
        assertThat(viaApi.get("target").asText()).isEqualTo(other);
        assertThat(viaApi.get("details").has("via")).isFalse();
    }

    @Test
    void sessionWhenOnlyClientsReadThenNoWriteActionAndForgedPostRefused() {
        TestServer.App target = gatepass.createApp("console-target", null);
        Session reader = signIn(gatepass, managementToken(gatepass, "clients:read"));

        Response apps = gatepass.get("/console/apps", "Cookie", reader.cookie());
        Response app = gatepass.get("/console/apps/" + target.clientId(), "Cookie", reader.cookie());

        assertThat(apps.status()).isEqualTo(200);
        assertThat(apps.body()).contains(target.clientId()).doesNotContain("action=\"/console/apps\"");
        assertThat(app.body()).doesNotContain("/status\"", "/secrets\"", "/revoke-tokens\"", "/delete\"");
        assertThat(apps.body()).doesNotContain("href=\"/console/apis\"", "href=\"/console/keys\"", "href=\"/console/audit\"");
        assertThat(gatepass.get("/console/apis", "Cookie", reader.cookie()).status()).isEqualTo(403);
        assertThat(gatepass.get("/console/keys", "Cookie", reader.cookie()).status()).isEqualTo(403);

        Response forged = post(gatepass, reader, "/console/apps/" + target.clientId() + "/status",
                "csrf=" + reader.csrf() + "&status=blocked");

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("clients:write");
        assertThat(gatepass.admin("GET", "/admin/clients/" + target.clientId(), null).json().get("status").asText())
                .isEqualTo("active");
    }

    @Test
    void logoutWhenSignedOutThenCookieNoLongerWorks() {
        Session session = signIn(gatepass, gatepass.adminToken());

        Response out = post(gatepass, session, "/console/logout", "csrf=" + session.csrf());

        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(gatepass.get("/console", "Cookie", session.cookie()).status()).isEqualTo(401);
    }

    @Test
    void sessionWhenItsAppIsBlockedThenEnded() {
        String adminApi = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        App operator = gatepass.createApp("console-operator", null);
        gatepass.grant(operator.clientId(), adminApi, "clients:read");
        Session session = signIn(gatepass, gatepass.token(operator.clientId(), operator.secret(), "urn:gatepass:admin", null));

        assertThat(gatepass.admin("PATCH", "/admin/clients/" + operator.clientId(), "{\"status\":\"blocked\"}").status()).isEqualTo(200);

        assertThat(gatepass.get("/console", "Cookie", session.cookie()).status()).isEqualTo(401);
    }

    @Test
    void consoleWhenInputBadThenClear4xxPage() {
        Session session = signIn(gatepass, gatepass.adminToken());

        Response badLifetime = post(gatepass, session, "/console/apis", "csrf=" + session.csrf()
                + "&identifier=https%3A%2F%2Fx.example.com&name=x&token_lifetime=soon");
        Response json = gatepass.send("POST", "/console/apis", "application/json", "{}", "Cookie", session.cookie());
        Response missing = gatepass.get("/console/apps/no-such-app", "Cookie", session.cookie());
        Response nowhere = gatepass.get("/console/nowhere", "Cookie", session.cookie());
        Response badPage = gatepass.get("/console/audit?page=-1", "Cookie", session.cookie());
        Response badTime = gatepass.get("/console/audit?since=yesterday", "Cookie", session.cookie());
        Response nul = gatepass.get("/console/apps/%00x", "Cookie", session.cookie());

        assertThat(badLifetime.status()).isEqualTo(400);
        assertThat(badLifetime.body()).contains("Token lifetime must be a whole number");
        assertThat(json.status()).isEqualTo(415);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(badPage.status()).isEqualTo(400);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(nul.status()).isEqualTo(404);
        for (Response response : new Response[]{badLifetime, json, missing, nowhere, badPage, badTime}) {
            assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(response.body()).doesNotContain("Exception", "io.gatepass");
        }
    }

    @Test
    void sessionWhenIdleOrOldOrLinkLateThenRefused(@TempDir Path dir) {
        MutableClock clock = new MutableClock();
        try (TestServer server = TestServer.start(dir, clock)) {
            String late = link(server, server.adminToken());
            clock.advance(Duration.ofSeconds(61));
            assertThat(server.get(late).status()).isEqualTo(401);

            Session idle = signIn(server, server.adminToken());
            clock.advance(Duration.ofMinutes(29));
            assertThat(server.get("/console", "Cookie", idle.cookie()).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(29));
            assertThat(server.get("/console", "Cookie", idle.cookie()).status()).as("used 29 minutes ago").isEqualTo(200);
            clock.advance(Duration.ofMinutes(31));
            assertThat(server.get("/console", "Cookie", idle.cookie()).status()).as("idle for 31 minutes").isEqualTo(401);

            server.forgetAdminToken();
            Session old = signIn(server, server.adminToken());
            for (int i = 0; i < 16; i++) { // 7 h 44 min, used every 29 minutes
                clock.advance(Duration.ofMinutes(29));
                assertThat(server.get("/console", "Cookie", old.cookie()).status()).isEqualTo(200);
            }
            clock.advance(Duration.ofMinutes(29)); // 8 h 13 min after sign-in, never idle
            assertThat(server.get("/console", "Cookie", old.cookie()).status()).as("older than 8 hours").isEqualTo(401);
        }
    }
}
