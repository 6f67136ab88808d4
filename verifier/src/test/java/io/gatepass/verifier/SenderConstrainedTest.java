package io.gatepass.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.gatepass.client.AccessToken;
import io.gatepass.client.DpopKey;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.web.TrustedProxies;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sender-constrained tokens end to end: the client SDK gets DPoP-bound tokens (following server nonces) and makes
 * a proof per resource request; the servlet filter in Jetty accepts them only with a fresh proof by the same key,
 * and refuses them as bearer tokens; a certificate-bound token passes the verifier only with its certificate.
 */
class SenderConstrainedTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path pki;
    TestGatepass gatepass;
    Server jetty;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) jetty.stop();
        if (gatepass != null) gatepass.close();
    }

    private URI resource(String audience) throws Exception {
        GatepassVerifier verifier = GatepassVerifier.builder().issuer(gatepass.issuer()).audience(audience).build();
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("report for " + ((VerifiedToken) req.getAttribute(GatepassServletFilter.ATTRIBUTE)).clientId());
            }
        }), "/reports/*");
        context.addFilter(new FilterHolder(new GatepassServletFilter(verifier, "reports:read")), "/reports/*",
                EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/reports/2026?page=2");
    }

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dpopWhenTheClientSdkSendsAProofPerRequestThenTheFilterAcceptsItAndRefusesEverythingElse() throws Exception {
        gatepass = new TestGatepass(dataDir, new ServerConfig.Edge(null, TrustedProxies.NONE, null, false, null, true));
        String audience = "https://reports-" + System.nanoTime() + ".example.com";
        String apiId = gatepass.api(audience, "reports:read");
        DpopKey key = DpopKey.generate();
        TestGatepass.App app = gatepass.app("{\"client_name\":\"reporter\",\"dpop_bound_access_tokens\":true}",
                tokens -> tokens.dpop(key), apiId, audience, "reports:read");
        URI uri = resource(audience);

        // the server asks for a nonce; the token source retries with it
        AccessToken token = app.tokens().token();
        assertThat(token.type()).isEqualTo("DPoP");
        HttpResponse<String> ok = HTTP.send(app.tokens().authorize(HttpRequest.newBuilder(uri).GET()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("report for " + app.clientId());

        // as a bearer token it is refused, with a DPoP challenge naming the algorithms
        HttpResponse<String> asBearer = get(uri, "Authorization", "Bearer " + token.value());
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("DPoP realm=", "algs=\"", "ES256");
        assertThat(asBearer.body()).contains("DPoP-bound");
        // a proof is good once, for its method and URL, by the token's key, for this token
        String proof = app.tokens().dpopProof("GET", uri, token.value());
        assertThat(get(uri, "Authorization", "DPoP " + token.value(), "DPoP", proof).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = get(uri, "Authorization", "DPoP " + token.value(), "DPoP", proof);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("DPoP ")
                .contains("error=\"invalid_dpop_proof\"");
        assertThat(replay.body()).contains("used before");
        assertThat(get(uri, "Authorization", "DPoP " + token.value(), "DPoP",
                app.tokens().dpopProof("POST", uri, token.value())).body()).contains("htm");
        assertThat(get(uri, "Authorization", "DPoP " + token.value(), "DPoP",
                app.tokens().dpopProof("GET", URI.create("https://elsewhere.example/reports/2026"), token.value())).body())
                .contains("htu");
        DpopKey stranger = DpopKey.of(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        assertThat(get(uri, "Authorization", "DPoP " + token.value(), "DPoP",
                stranger.proof("GET", uri, token.value(), null, Instant.now())).body()).contains("another key");
        assertThat(get(uri, "Authorization", "DPoP " + token.value(), "DPoP",
                key.proof("GET", uri, "another-token", null, Instant.now())).body()).contains("ath");
        assertThat(get(uri, "Authorization", "DPoP " + token.value()).body()).contains("exactly one DPoP header");

        // a bearer token sent with the DPoP scheme is not accepted either
        TestGatepass.App plain = gatepass.app(apiId, audience, "reports:read");
        assertThat(get(uri, "Authorization", "DPoP " + plain.token(), "DPoP", key.proof("GET", uri, plain.token(), null,
                Instant.now())).body()).contains("not DPoP-bound");
        assertThat(get(uri, "Authorization", "Bearer " + plain.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void certificateBoundTokenWhenVerifiedThenOnlyWithItsCertificate() throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=reporter", "-keyout", "c.key",
                "-out", "c.crt").directory(pki.toFile()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as("openssl: " + output).isZero();
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(pki.resolve("c.crt"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        // this process is the TLS-terminating proxy: it forwards the certificate it saw
        gatepass = new TestGatepass(dataDir, new ServerConfig.Edge(null, TrustedProxies.parse("127.0.0.1"),
                "X-SSL-Client-Cert", false, null, false));
        String audience = "https://reports-" + System.nanoTime() + ".example.com";
        String apiId = gatepass.api(audience, "reports:read");
        String header = URLEncoder.encode(Files.readString(pki.resolve("c.crt")), StandardCharsets.UTF_8);
        TestGatepass.App app = gatepass.app("{\"client_name\":\"reporter\",\"tls_client_certificate_bound_access_tokens\":true}",
                tokens -> tokens.httpClient(HttpClient.newHttpClient()), apiId, audience, "reports:read");
        HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(URI.create(gatepass.issuer() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-SSL-Client-Cert", header)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((app.clientId() + ":"
                        + app.secret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = (String) com.nimbusds.jose.util.JSONObjectUtils.parse(issued.body()).get("access_token");

        GatepassVerifier verifier = GatepassVerifier.builder().issuer(gatepass.issuer()).audience(audience).build();
        assertThat(verifier.verify(new ResourceRequest("GET", "https://reports.example/x", "Bearer " + token, List.of(),
                certificate), "reports:read").clientId()).isEqualTo(app.clientId());
        assertThat(catchThrowableOfType(TokenVerificationException.class, () -> verifier.verify("Bearer " + token))
                .description()).contains("client certificate");
        assertThat(gatepass.adminJson("GET", "/admin/clients/" + app.clientId(), null))
                .containsEntry("tls_client_certificate_bound_access_tokens", true);
        // without the certificate no bound token is issued
        HttpResponse<String> without = HTTP.send(HttpRequest.newBuilder(URI.create(gatepass.issuer() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((app.clientId() + ":"
                        + app.secret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(without.statusCode()).isEqualTo(400);
        assertThat((Map<String, Object>) com.nimbusds.jose.util.JSONObjectUtils.parse(without.body()))
                .containsEntry("error", "invalid_request");
    }
}
