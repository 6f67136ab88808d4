package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.testing.MutableClock;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium), signed in
 * with a link from {@code gatepass console --print-url}: the brief's whole story by hand, and the refusals.
 * Screenshots of each page go to {@code target/console-screenshots}. Without chromium the test is skipped, unless
 * GATEPASS_REQUIRE_BROWSER is set (CI), where that is a failure.
 */
class ConsoleBrowserTest {
    private static final String ADMIN_SECRET = "console-test-bootstrap-secret-0123456789-abc";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String CHROMIUM = System.getProperty("gatepass.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("gatepass.chromedriver", "/usr/bin/chromedriver");

    @TempDir
    static Path dataDir;
    static MutableClock clock = new MutableClock();
    static GatepassServer server;
    static ChromeDriver browser;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        if (!new File(CHROMIUM).canExecute() || !new File(DRIVER).canExecute()) {
            String why = "no " + CHROMIUM + " or " + DRIVER + " here: install them with apt-get install chromium chromium-driver";
            if (System.getenv("GATEPASS_REQUIRE_BROWSER") != null) throw new AssertionError(why);
            Assumptions.abort(why + " (the console's browser test is skipped; CI always runs it)");
        }
        server = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir).bootstrapAdminSecret(ADMIN_SECRET).build(), clock);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** {@code gatepass console --print-url} as an app, as a user would run it. */
    private static String consoleLink(String clientId, String secret) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = GatepassCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("console", "--print-url", "--server", base(), "--client-id", clientId, "--client-secret", secret);
        assertThat(code).as(out + " " + err).isZero();
        String url = out.toString().trim();
        assertThat(url).startsWith(server.issuer() + "/console/login?code=");
        return url;
    }

    /** Opens a sign-in link; its page moves on to the overview by itself. */
    private static void signIn(String link) {
        browser.get(link);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(server.issuer() + "/console"));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    private static int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", base(), "--client-id", "gatepass-admin", "--client-secret", ADMIN_SECRET));
        picocli.CommandLine cli = GatepassCommand.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(all.toArray(String[]::new));
    }

    private static void shot(String name) throws IOException {
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    /** Clicks what submits a form or follows a link, and waits until the next page has loaded. */
    private static void clickAndWait(WebElement element) {
        element.click();
        waitForNextPage(element);
    }

    private static void waitForNextPage(WebElement old) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                // asked while the page is being replaced, ChromeDriver may say the node "does not belong to the
                // document" instead of stale (CI saw it): the old page is gone either way
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
                throw e;
            }
        });
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    private static String text() {
        return find("body").getText();
    }

    private static void open(String path) {
        browser.get(server.issuer() + path);
    }

    private static HttpResponse<String> tokenRequest(String clientId, String secret, String audience) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience="
                        + java.net.URLEncoder.encode(audience, StandardCharsets.UTF_8)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Every form control on the page is labelled: by a label for it, a wrapping label, or aria-label. */
    private static void assertEveryControlLabelled() {
        Object unlabelled = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                        + ".filter(e => !(e.id && document.querySelector('label[for=\"' + e.id + '\"]')) && !e.closest('label')"
                        + " && !e.getAttribute('aria-label')).map(e => e.name);");
        assertThat((List<?>) unlabelled).as("controls without a label on " + browser.getCurrentUrl()).isEmpty();
    }

    /** At a phone's 390 px the page scrolls down, not sideways (wide tables scroll in their own box). */
    private static void assertFitsPhoneWidth(String name) throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            Number width = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
            Number viewport = (Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth;");
            assertThat(width.intValue()).as(name + " at a phone's width").isLessThanOrEqualTo(viewport.intValue());
            shot(name + "-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    @Test
    void consoleWhenAdminWorksThroughTheBriefThenEveryStepShowsAndIsAudited() throws Exception {
        String link = consoleLink("gatepass-admin", ADMIN_SECRET);
        signIn(link);
        assertThat(find("h1").getText()).isEqualTo("Overview");
        assertThat(find(".who").getText()).isEqualTo("gatepass-admin");

        // an API with two scopes, typed and sent from the keyboard
        clickAndWait(find("nav a[href='/console/apis']"));
        String storage = "https://storage-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        find("#api-identifier").sendKeys(storage);
        find("#api-scopes").sendKeys("archive:write Write archives" + Keys.ENTER + "archive:read Read archives");
        assertEveryControlLabelled();
        WebElement name = find("#api-name");
        name.sendKeys("Storage", Keys.ENTER);
        waitForNextPage(name);
        assertThat(find(".notice").getText()).isEqualTo("API registered.");
        String apiId = browser.getCurrentUrl().replaceAll(".*/console/apis/([^?]+).*", "$1");
        assertThat(find("#api-scopes").getAttribute("value")).contains("archive:write Write archives", "archive:read Read archives");
        shot("02-api");
        open("/console/apis");
        assertThat(find("#apis").getText()).contains("Storage", storage, "archive:write", "archive:read");
        shot("01-apis");

        // an app, whose secret is shown once with a copy button
        clickAndWait(find("nav a[href='/console/apps']"));
        find("#app-name").sendKeys("archiver");
        assertEveryControlLabelled();
        clickAndWait(find("#create-app button[type=submit]"));
        assertThat(text()).contains("shown this once");
        String clientId = find("#client-id").getAttribute("value");
        String secret = find("#client-secret").getAttribute("value");
        assertThat(secret).startsWith("gps_");
        assertThat(find("button[data-copy='client-secret']").getText()).isEqualTo("Copy");
        shot("04-secret");
        open("/console/apps/" + clientId);
        assertThat(browser.getPageSource()).doesNotContain(secret);
        open("/console/apps");
        assertThat(browser.getPageSource()).doesNotContain(secret);
        assertThat(find("tr[data-client-id='" + clientId + "']").getText()).contains("archiver", "active", "never");
        shot("03-apps");

        // one scope granted in the matrix
        clickAndWait(find("nav a[href='/console/grants']"));
        WebElement cell = find("#grant-" + clientId + "-" + apiId);
        cell.findElement(By.cssSelector("input[value='archive:write']")).click();
        clickAndWait(cell.findElement(By.cssSelector("button[value=save]")));
        assertThat(find(".notice").getText()).isEqualTo("Grant saved.");
        cell = find("#grant-" + clientId + "-" + apiId);
        assertThat(cell.getAttribute("class")).isEqualTo("granted");
        assertThat(cell.findElement(By.cssSelector("input[value='archive:write']")).isSelected()).isTrue();
        assertThat(cell.findElement(By.cssSelector("input[value='archive:read']")).isSelected()).isFalse();
        assertEveryControlLabelled();
        shot("05-grants");
        assertFitsPhoneWidth("05-grants");

        // the secret works over HTTP, for the granted scope only
        HttpResponse<String> token = tokenRequest(clientId, secret, storage);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(JSON.readTree(token.body()).get("scope").asText()).isEqualTo("archive:write");

        // a quarter of an hour of traffic, minute by minute on the server's clock, with a few wrong secrets
        for (int minute = 1; minute <= 15; minute++) {
            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < 1 + (minute * 7) % 5; i++) assertThat(tokenRequest(clientId, secret, storage).statusCode()).isEqualTo(200);
            if (minute % 4 == 0) assertThat(tokenRequest(clientId, secret + "x", storage).statusCode()).isEqualTo(401);
        }

        // and shows on the overview once the audit batch is written
        WebElement chart = null;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < deadline; ) {
            open("/console");
            chart = find("#chart-tokens");
            if (Integer.parseInt(chart.getAttribute("data-total")) >= 47 && text().contains(clientId)
                    && Integer.parseInt(find("#chart-failures").getAttribute("data-total")) >= 3) break;
            Thread.sleep(200);
        }
        // the archiver's 46 and the admin's own (for the CLI)
        assertThat(Integer.parseInt(chart.getAttribute("data-total"))).isGreaterThanOrEqualTo(47);
        assertThat(find("#chart-failures").getAttribute("data-total")).isEqualTo("3");
        assertThat(chart.findElements(By.cssSelector("rect"))).isNotEmpty();
        assertThat(find(".top-apps").getText()).contains(clientId);
        shot("00-overview");
        assertFitsPhoneWidth("00-overview");

        // blocked: the next token request is refused
        open("/console/apps/" + clientId);
        clickAndWait(find("#block"));
        assertThat(find(".notice").getText()).startsWith("App blocked");
        assertThat(find("#app-status").getText()).isEqualTo("blocked");
        shot("06-app-blocked");
        HttpResponse<String> refused = tokenRequest(clientId, secret, storage);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("unauthorized_client");

        open("/console/keys");
        assertThat(find("#ring-RS256").getText()).contains("current");
        assertThat(browser.findElements(By.cssSelector("#ring-RS256 rect.key-signing"))).isNotEmpty();
        shot("07-keys");

        // all of it in the audit log, the console's changes marked as such
        open("/console/audit");
        WebElement appFilter = find("#f-app");
        appFilter.sendKeys(clientId, Keys.ENTER);
        waitForNextPage(appFilter);
        String log = find("#audit").getText();
        assertThat(log).contains("token.issued", "client.blocked", "client.authentication_failed");
        List<WebElement> blocked = browser.findElements(By.cssSelector("#audit tr[data-type='client.blocked'] td"));
        assertThat(blocked.get(1).getText()).isEqualTo("gatepass-admin");
        assertThat(blocked.get(4).getText()).isEqualTo("console");
        assertEveryControlLabelled();
        shot("08-audit");
        clickAndWait(find("a[rel=next]"));
        assertThat(find("#audit").getText()).as("the older page").contains("client.created", "grant.created");
        assertThat(find(".pager").getText()).contains("Page 2");
        open("/console/audit?type=api.created");
        assertThat(find("#audit").getText()).contains(apiId, "console");

        // the link was good once
        browser.get(link);
        assertThat(find("h1").getText()).isEqualTo("Sign in to the Gatepass console");
        assertThat(text()).contains("used already or has expired");
        open("/console");
        assertThat(find("h1").getText()).as("the session itself lives on").isEqualTo("Overview");

        // a forged POST without the CSRF token is refused, and nothing changes
        open("/console/apps/" + clientId);
        WebElement before = find("h1");
        ((JavascriptExecutor) browser).executeScript("const f = document.getElementById('status-form');"
                + "f.querySelector('input[name=csrf]').remove(); f.submit();");
        waitForNextPage(before);
        assertThat(find("h1").getText()).isEqualTo("That did not work (403)");
        assertThat(text()).contains("CSRF token");
        open("/console/apps/" + clientId);
        assertThat(find("#app-status").getText()).isEqualTo("blocked");

        // signing out ends the session
        clickAndWait(find(".signout button"));
        open("/console");
        assertThat(find("h1").getText()).isEqualTo("Sign in to the Gatepass console");
    }

    @Test
    void consoleWhenSessionHasOnlyClientsReadThenNoWriteActionAndForgedOneRefused() throws Exception {
        assertThat(cli("apps", "create", "--name", "auditor")).isZero();
        StringWriter out = new StringWriter();
        picocli.CommandLine command = GatepassCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.execute("apps", "create", "--name", "viewer", "-o", "json", "--server", base(), "--client-id", "gatepass-admin",
                "--client-secret", ADMIN_SECRET);
        JsonNode viewer = JSON.readTree(out.toString());
        String viewerId = viewer.get("client_id").asText();
        assertThat(cli("grants", "set", viewerId, "urn:gatepass:admin", "--scope", "clients:read")).isZero();
        browser.manage().deleteAllCookies();

        // the link followed from another site's page (a chat, a ticket): the session cookie still arrives
        String link = consoleLink(viewerId, viewer.get("client_secret").asText());
        browser.get("data:text/html,<a id=go href='" + link + "'>sign in</a>");
        find("#go").click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(server.issuer() + "/console"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".who")).isEmpty());
        assertThat(find(".who").getText()).isEqualTo(viewerId);
        assertThat(browser.findElements(By.cssSelector("nav a")).stream().map(WebElement::getText).toList())
                .containsExactly("Overview", "Apps");
        open("/console/apps");
        assertThat(browser.findElements(By.cssSelector("#create-app"))).isEmpty();
        open("/console/apps/" + viewerId);
        assertThat(browser.findElements(By.cssSelector("#status-form, #new-secret, #limits-form, #delete-app"))).isEmpty();
        shot("09-read-only-app");

        // the block button it was not offered, forged with the session's own CSRF token
        WebElement page = find("h1");
        ((JavascriptExecutor) browser).executeScript("const f = document.createElement('form'); f.method = 'post';"
                + "f.action = '/console/apps/" + viewerId + "/status';"
                + "for (const [n, v] of [['csrf', document.querySelector('.signout input[name=csrf]').value], ['status', 'blocked']]) {"
                + "const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); }"
                + "document.body.appendChild(f); f.submit();");
        waitForNextPage(page);
        assertThat(find("h1").getText()).isEqualTo("That did not work (403)");
        assertThat(text()).contains("clients:write");
        open("/console/apps/" + viewerId);
        assertThat(find("#app-facts").getText()).contains("active");

        // idle for more than 30 minutes: the session is over
        clock.advance(Duration.ofMinutes(31));
        open("/console/apps");
        assertThat(find("h1").getText()).isEqualTo("Sign in to the Gatepass console");
        assertThat(text()).contains("session has ended");
        clock.advance(Duration.ofMinutes(-31));
    }
}
