package io.gatepass.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.gatepass.client.AccessToken;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The starter against a real Gatepass (its own process) and real Spring Boot apps on random ports: the archive API
 * with only {@code gatepass.issuer-uri} and {@code gatepass.audience}, the archiver calling it through the starter's
 * beans, and plain Spring Security set up as docs/spring.md says. The same tests run on Boot 3.5 (this module, on a
 * JDK 17 where one is installed) and on Boot 4.0 ({@code spring-boot4-test}).
 */
class GatepassStarterTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ARCHIVE = "https://archive.example.com";
    private static final String BILLING = "https://billing.example.com";

    private static GatepassProcess gatepass;
    private static String archiveApi;
    private static String billingApi;
    private static ConfigurableApplicationContext archive;
    private static URI archiveUrl;

    @BeforeAll
    static void start() throws Exception {
        // behind a TLS-terminating proxy (the test, on loopback) that forwards client certificates: RFC 8705
        // certificate-bound tokens without TLS of its own
        gatepass = GatepassProcess.start("--trusted-proxy", "127.0.0.1", "--client-cert-header", "X-SSL-Client-Cert");
        archiveApi = gatepass.createApi(ARCHIVE, 60, "archive:read", "archive:write");
        billingApi = gatepass.createApi(BILLING, 3600, "billing:read");
        archive = archiveApi(null);
        archiveUrl = URI.create("http://localhost:" + archive.getEnvironment().getProperty("local.server.port") + "/archives");
    }

    @AfterAll
    static void stop() throws Exception {
        if (archive != null) archive.close();
        if (gatepass != null) gatepass.close();
    }

    /** The archive API with the starter and its two properties (and a quick revocation poll for the test). */
    private static ConfigurableApplicationContext archiveApi(GatepassVerifierCustomizer customizer) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(ArchiveApi.class).properties(
                "server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                "gatepass.issuer-uri=" + gatepass.issuer(), "gatepass.audience=" + ARCHIVE,
                "gatepass.revocation-poll-interval=1s");
        if (customizer != null) {
            app.initializers(context -> ((GenericApplicationContext) context)
                    .registerBean(GatepassVerifierCustomizer.class, () -> customizer));
        }
        return app.run();
    }

    private static ConfigurableApplicationContext archiver(Map<String, Object> app, String... properties) {
        return new SpringApplicationBuilder(ArchiverService.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN",
                        "gatepass.issuer-uri=" + gatepass.issuer(), "gatepass.client.client-id=" + app.get("client_id"),
                        "gatepass.client.client-secret=" + app.get("client_secret"))
                .properties(properties).run();
    }

    private static Map<String, Object> app(String scopesOnArchive) throws Exception {
        Map<String, Object> app = gatepass.createApp("spring-" + UUID.randomUUID());
        gatepass.grant((String) app.get("client_id"), archiveApi, scopesOnArchive.split(" "));
        return app;
    }

    private static String token(Map<String, Object> app, String audience) {
        return GatepassTokenSource.builder().issuer(gatepass.issuer())
                .auth(ClientAuth.clientSecretBasic((String) app.get("client_id"), (String) app.get("client_secret")))
                .audience(audience).build().token().value();
    }

    private static HttpResponse<String> call(String method, URI url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resourceServerWhenTokenHasTheScopeThen200AndWhenNotThen403InsufficientScope() throws Exception {
        Map<String, Object> reader = app("archive:read");
        String token = token(reader, ARCHIVE);

        HttpResponse<String> listed = call("GET", archiveUrl, "Bearer " + token);
        HttpResponse<String> stored = call("POST", archiveUrl, "Bearer " + token);

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains((String) reader.get("client_id"));
        assertThat(stored.statusCode()).isEqualTo(403);
        assertThat(stored.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer").contains("insufficient_scope"));
    }

    @Test
    void resourceServerWhenNoTokenOrAnotherAudienceOrExpiredThen401() throws Exception {
        Map<String, Object> app = app("archive:read");
        gatepass.grant((String) app.get("client_id"), billingApi, "billing:read");
        String archiveToken = token(app, ARCHIVE);

        HttpResponse<String> none = call("GET", archiveUrl, null);
        HttpResponse<String> billing = call("GET", archiveUrl, "Bearer " + token(app, BILLING));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(c -> assertThat(c).startsWith("Bearer"));
        assertThat(billing.statusCode()).isEqualTo(401);
        assertThat(billing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(c -> assertThat(c).contains("invalid_token"));

        // the same API two hours on: the token (60 s) has expired there
        try (ConfigurableApplicationContext later = archiveApi(builder -> builder.clock(
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2))))) {
            URI laterUrl = URI.create("http://localhost:" + later.getEnvironment().getProperty("local.server.port") + "/archives");
            HttpResponse<String> expired = call("GET", laterUrl, "Bearer " + archiveToken);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(c -> assertThat(c).contains("expired"));
        }
        assertThat(call("GET", archiveUrl, "Bearer " + archiveToken).statusCode()).isEqualTo(200);
    }

    @Test
    void resourceServerWhenTheAppIsBlockedThenRefusedWithinThePollInterval() throws Exception {
        Map<String, Object> app = app("archive:read");
        String token = token(app, ARCHIVE);
        assertThat(call("GET", archiveUrl, "Bearer " + token).statusCode()).isEqualTo(200);

        gatepass.patchApp((String) app.get("client_id"), "{\"status\":\"blocked\"}");
        Instant blocked = Instant.now();
        int status = 200;
        while (status == 200 && Duration.between(blocked, Instant.now()).toSeconds() < 10) {
            Thread.sleep(100);
            status = call("GET", archiveUrl, "Bearer " + token).statusCode();
        }

        assertThat(status).isEqualTo(401);
        // polled every second: refused within the interval and a poll's round trip
        assertThat(Duration.between(blocked, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void dpopBoundTokenWhenSentThroughTheInterceptorOrTheWebClientFilterThen200AndAsBearerOrWithAReplayedProofThen401() throws Exception {
        Map<String, Object> app = app("archive:read");
        gatepass.patchApp((String) app.get("client_id"), "{\"dpop_bound_access_tokens\":true}");
        try (ConfigurableApplicationContext archiver = archiver(app, "gatepass.client.audience=" + ARCHIVE, "gatepass.client.dpop=true")) {
            RestClient client = RestClient.builder().requestInterceptor(archiver.getBean(GatepassRequestInterceptor.class)).build();
            GatepassTokenSource tokens = archiver.getBean(GatepassTokenSource.class);

            String body = client.get().uri(archiveUrl).retrieve().body(String.class);
            String reactive = WebClient.builder().clientConnector(new JdkClientHttpConnector())
                    .filter(archiver.getBean(GatepassExchangeFilter.class)).build()
                    .get().uri(archiveUrl).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));

            assertThat(body).contains((String) app.get("client_id"));
            assertThat(reactive).as("through WebClient and the starter's filter").contains((String) app.get("client_id"));
            AccessToken token = tokens.token();
            assertThat(token.dpopBound()).isTrue();
            assertThat(SignedJWT.parse(token.value()).getJWTClaimsSet().getJSONObjectClaim("cnf")).containsKey("jkt");
            HttpResponse<String> asBearer = call("GET", archiveUrl, "Bearer " + token.value());
            assertThat(asBearer.statusCode()).isEqualTo(401);
            String proof = tokens.dpopProof("GET", archiveUrl, token.value());
            HttpRequest withProof = HttpRequest.newBuilder(archiveUrl).header("Authorization", "DPoP " + token.value())
                    .header("DPoP", proof).build();
            assertThat(HTTP.send(withProof, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(withProof, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> noProof = call("GET", archiveUrl, "DPoP " + token.value());
            assertThat(noProof.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void certificateBoundTokenWhenCalledOverMutualTlsWithItsCertificateThen200AndWithAnotherOrNoneThen401(
            @org.junit.jupiter.api.io.TempDir Path pki) throws Exception {
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=Test CA", "-keyout", "ca.key", "-out", "ca.crt");
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=archive", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "server.key",
                "-out", "server.crt");
        for (String client : List.of("worker", "other")) {
            openssl(pki, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=" + client, "-keyout", client + ".key", "-out", client + ".csr");
            openssl(pki, "x509", "-req", "-in", client + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-out", client + ".crt");
            openssl(pki, "pkcs12", "-export", "-inkey", client + ".key", "-in", client + ".crt", "-out", client + ".p12",
                    "-passout", "pass:changeit");
        }
        Map<String, Object> app = app("archive:read");
        gatepass.patchApp((String) app.get("client_id"), "{\"tls_client_certificate_bound_access_tokens\":true}");
        HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(gatepass.issuer().resolve("/oauth/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (app.get("client_id") + ":" + app.get("client_secret")).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-SSL-Client-Cert", java.net.URLEncoder.encode(Files.readString(pki.resolve("worker.crt")),
                        java.nio.charset.StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + ARCHIVE)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = com.nimbusds.jose.util.JSONObjectUtils.parse(issued.body()).get("access_token").toString();
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf")).containsKey("x5t#S256");

        // the archive API over HTTPS, asking callers for a certificate of the CA
        try (ConfigurableApplicationContext tls = new SpringApplicationBuilder(ArchiveApi.class).properties(
                "server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                "gatepass.issuer-uri=" + gatepass.issuer(), "gatepass.audience=" + ARCHIVE,
                "server.ssl.certificate=" + pki.resolve("server.crt").toUri(),
                "server.ssl.certificate-private-key=" + pki.resolve("server.key").toUri(),
                "server.ssl.trust-certificate=" + pki.resolve("ca.crt").toUri(),
                "server.ssl.client-auth=want").run()) {
            URI url = URI.create("https://localhost:" + tls.getEnvironment().getProperty("local.server.port") + "/archives");

            int withIts = mutualTls(pki, "worker").send(get(url, token), HttpResponse.BodyHandlers.ofString()).statusCode();
            int withAnother = mutualTls(pki, "other").send(get(url, token), HttpResponse.BodyHandlers.ofString()).statusCode();
            int withNone = mutualTls(pki, null).send(get(url, token), HttpResponse.BodyHandlers.ofString()).statusCode();

            assertThat(withIts).as("with the certificate the token is bound to").isEqualTo(200);
            assertThat(withAnother).as("with another certificate").isEqualTo(401);
            assertThat(withNone).as("without a certificate").isEqualTo(401);
        }
    }

    private static HttpRequest get(URI url, String token) {
        return HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).build();
    }

    /** An HTTPS client trusting the test's server certificate, presenting the {@code client} certificate (or none). */
    private static HttpClient mutualTls(Path pki, String client) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (java.io.InputStream in = Files.newInputStream(pki.resolve("server.crt"))) {
            trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory trusts = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trusts.init(trust);
        javax.net.ssl.KeyManager[] keys = null;
        if (client != null) {
            java.security.KeyStore identity = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(pki.resolve(client + ".p12"))) {
                identity.load(in, "changeit".toCharArray());
            }
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            factory.init(identity, "changeit".toCharArray());
            keys = factory.getKeyManagers();
        }
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(keys, trusts.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("openssl: " + output).isZero();
    }

    @Test
    void springClientWhenTheAppIsGrantedOnTwoApisThenGetsAndRenewsTokensForItsAudience() throws Exception {
        Map<String, Object> app = app("archive:read archive:write");
        gatepass.grant((String) app.get("client_id"), billingApi, "billing:read");
        // tokens live 60 s on the archive API: renewed 59 s ahead, each is used for about a second
        try (ConfigurableApplicationContext archiver = archiver(app, "gatepass.client.audience=" + ARCHIVE,
                "gatepass.client.refresh-ahead=59s")) {
            OAuth2AuthorizedClientManager manager = archiver.getBean(OAuth2AuthorizedClientManager.class);
            OAuth2ClientHttpRequestInterceptor spring = new OAuth2ClientHttpRequestInterceptor(manager);
            spring.setClientRegistrationIdResolver(request -> "gatepass");
            RestClient springClient = RestClient.builder().requestInterceptor(spring).build();
            RestClient starterClient = RestClient.builder()
                    .requestInterceptor(archiver.getBean(GatepassRequestInterceptor.class)).build();
            AnonymousAuthenticationToken service = new AnonymousAuthenticationToken("archiver", "archiver",
                    AuthorityUtils.createAuthorityList("ROLE_SERVICE"));

            OAuth2AuthorizedClient first = manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("gatepass")
                    .principal(service).build());
            HttpStatusCode stored = springClient.post().uri(archiveUrl).retrieve().toBodilessEntity().getStatusCode();
            Thread.sleep(1_500);
            OAuth2AuthorizedClient second = manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("gatepass")
                    .principal(service).build());
            String listed = starterClient.get().uri(archiveUrl).retrieve().body(String.class);

            assertThat(SignedJWT.parse(first.getAccessToken().getTokenValue()).getJWTClaimsSet().getAudience()).containsExactly(ARCHIVE);
            assertThat(stored.value()).isEqualTo(200);
            assertThat(second.getAccessToken().getTokenValue()).isNotEqualTo(first.getAccessToken().getTokenValue());
            assertThat(second.getAccessToken().getScopes()).contains("archive:read", "archive:write");
            assertThat(listed).contains((String) app.get("client_id"));
        }
    }

    @Test
    void callerWhenTwoWaysToAuthenticateAreSetThenTheStartFailsWithSpringBootsReportNamingTheProperties() {
        Map<String, Object> app = Map.of("client_id", "some-app", "client_secret", "some-secret");

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> archiver(app, "gatepass.client.federated-token-file=/var/run/secrets/token").close());

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new GatepassFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("the starter's failure analyzer explains it").isNotNull();
        assertThat(analysis.getDescription()).contains("2 of gatepass.client.client-secret, gatepass.client.private-key-file "
                + "and gatepass.client.federated-token-file");
        assertThat(analysis.getAction()).contains("exactly one");
        assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
                .as("registered for Spring Boot's report").contains(GatepassFailureAnalyzer.class.getName());
    }

    @Test
    void plainSpringSecurityWhenConfiguredAsDocsSayThenAcceptsAtJwtForItsAudienceOnly() throws Exception {
        Map<String, Object> app = app("archive:read");
        gatepass.grant((String) app.get("client_id"), billingApi, "billing:read");
        try (ConfigurableApplicationContext plain = new SpringApplicationBuilder(PlainSpringApi.class).properties(
                "server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + gatepass.issuer(),
                "spring.security.oauth2.resourceserver.jwt.audiences=" + ARCHIVE).run()) {
            URI hello = URI.create("http://localhost:" + plain.getEnvironment().getProperty("local.server.port") + "/hello");

            HttpResponse<String> accepted = call("GET", hello, "Bearer " + token(app, ARCHIVE));
            HttpResponse<String> otherAudience = call("GET", hello, "Bearer " + token(app, BILLING));

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.body()).contains((String) app.get("client_id"));
            assertThat(otherAudience.statusCode()).isEqualTo(401);
        }
    }
}
