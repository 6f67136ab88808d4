package io.gatepass.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servlet filter in a real servlet container (Jetty), in front of a servlet, with tokens of a real Gatepass. */
class GatepassServletFilterTest {
    @TempDir
    static Path dataDir;
    static TestGatepass gatepass;
    static Server jetty;
    static TestGatepass.App writer;
    static TestGatepass.App reader;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gatepass = new TestGatepass(dataDir);
        String audience = "https://filtered-" + System.nanoTime() + ".example.com";
        String apiId = gatepass.api(audience, "archive:read", "archive:write");
        writer = gatepass.app(apiId, audience, "archive:write");
        reader = gatepass.app(apiId, audience, "archive:read");
        GatepassVerifier verifier = GatepassVerifier.builder().issuer(gatepass.issuer()).audience(audience).build();

        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                VerifiedToken token = (VerifiedToken) req.getAttribute(GatepassServletFilter.ATTRIBUTE);
                resp.getWriter().write("stored for " + token.clientId());
            }
        }), "/archive/*");
        context.addFilter(new FilterHolder(new GatepassServletFilter(verifier, "archive:write")), "/archive/*",
                EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        gatepass.close();
    }

    static HttpResponse<String> post(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/archive/2026")).POST(HttpRequest.BodyPublishers.ofString("x"));
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void filterWhenTokenHasTheScopeThenServletRunsWithTheCaller() throws Exception {
        HttpResponse<String> response = post("Bearer " + writer.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("stored for " + writer.clientId());
    }

    @Test
    void filterWhenScopeMissingOrNoTokenThenRfc6750Answers() throws Exception {
        HttpResponse<String> forbidden = post("Bearer " + reader.token());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"archive:write\"");
        assertThat(forbidden.body()).contains("insufficient_scope");

        HttpResponse<String> anonymous = post(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=").doesNotContain("error=");

        HttpResponse<String> forged = post("Bearer eyJhbGciOiJub25lIn0.e30.");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }
}
