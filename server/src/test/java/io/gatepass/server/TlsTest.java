package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.config.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files, HTTP/2 over ALPN, a certificate swap picked up without a restart, and the issuer rules. */
class TlsTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path pki;

    /** A self-signed EC certificate for 127.0.0.1 and localhost, made by openssl. */
    private record Pair(Path certificate, Path key) {
    }

    private Pair selfSigned(String name) throws Exception {
        Path cert = pki.resolve(name + ".crt");
        Path key = pki.resolve(name + ".key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as("openssl (apt-get install openssl): " + output).isZero();
        return new Pair(cert, key);
    }

    /** Trusts exactly these certificates; a new client (new connections) per call, so a reload shows. */
    private static HttpClient client(Pair... trusted) throws Exception {
        return HttpClient.newBuilder().sslContext(sslContext(trusted)).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext sslContext(Pair... trusted) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Pair pair : trusted) {
            try (InputStream in = Files.newInputStream(pair.certificate())) {
                store.setCertificateEntry(pair.certificate().getFileName().toString(), factory.generateCertificate(in));
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String servedName(HttpResponse<?> response) throws Exception {
        X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return served.getSubjectX500Principal().getName();
    }

    private static void replace(Path target, Path source) throws IOException {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void httpsWhenCertificateFilesChangeThenTheNewOneIsServedWithoutRestart() throws Exception {
        Pair first = selfSigned("gatepass-test-1");
        Pair second = selfSigned("gatepass-test-2");
        Pair live = new Pair(pki.resolve("live.crt"), pki.resolve("live.key"));
        Files.copy(first.certificate(), live.certificate());
        Files.copy(first.key(), live.key());
        ServerConfig config = TestServer.config(dataDir).toBuilder().tls(new TlsFiles(live.certificate(), live.key(), Duration.ofMillis(200))).build();

        try (TestServer gatepass = TestServer.start(config)) {
            URI metadata = URI.create("https://127.0.0.1:" + gatepass.uri("/").getPort() + "/.well-known/oauth-authorization-server");
            HttpResponse<String> response = get(client(first, second), metadata);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(servedName(response)).isEqualTo("CN=gatepass-test-1");
            JsonNode body = TestServer.JSON.readTree(response.body());
            assertThat(body.get("issuer").asText()).startsWith("https://localhost:");
            assertThat(body.get("token_endpoint").asText()).startsWith("https://");
            // plain HTTP on the TLS port gets nowhere
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + metadata.getPort() + "/health/live")))
                    .isInstanceOf(IOException.class);

            // the renewed pair, key first: the moment in between (new key, old certificate) is refused, not served
            replace(live.key(), second.key());
            replace(live.certificate(), second.certificate());
            String served = null;
            for (int i = 0; i < 100 && !"CN=gatepass-test-2".equals(served); i++) {
                Thread.sleep(100);
                served = servedName(get(client(first, second), metadata));
            }
            assertThat(served).isEqualTo("CN=gatepass-test-2");

            // a broken file is refused with a warning; the server keeps the pair it has
            Files.writeString(live.certificate(), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
            Thread.sleep(600);
            HttpResponse<String> after = get(client(second), metadata);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(servedName(after)).isEqualTo("CN=gatepass-test-2");
        }
    }

    @Test
    void concurrencyBoundWhenRequestsComeOverHttp2ThenItHoldsToo() throws Exception {
        Pair pair = selfSigned("gatepass-test-1");
        ServerConfig config = TestServer.config(dataDir).toBuilder().tls(TlsFiles.of(pair.certificate(), pair.key()))
                .limits(new io.gatepass.server.limits.RateLimitPolicy(0, 0, 0, 1, 0)).build();
        try (TestServer gatepass = TestServer.start(config)) {
            int port = gatepass.uri("/").getPort();
            HttpClient client = client(pair);
            // an HTTP/1.1 request whose body never comes holds the only permit
            javax.net.ssl.SSLSocket slow = (javax.net.ssl.SSLSocket) sslContext(pair).getSocketFactory().createSocket("127.0.0.1", port);
            slow.getOutputStream().write(("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            Thread.sleep(300);

            HttpResponse<String> refused = get(client, URI.create("https://127.0.0.1:" + port + "/.well-known/jwks.json"));

            assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            slow.close();
        }
    }

    @Test
    void startWhenKeyDoesNotBelongToTheCertificateThenRefusedNamingTheSetting() throws Exception {
        Pair first = selfSigned("gatepass-test-1");
        Pair second = selfSigned("gatepass-test-2");
        ServerConfig config = TestServer.config(dataDir).toBuilder().tls(new TlsFiles(first.certificate(), second.key(), null)).build();

        assertThatThrownBy(() -> GatepassServer.start(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tls-cert")
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void issuerWhenHttpOnANonLoopbackInterfaceThenRefusedUnlessDevelopment() throws Exception {
        ServerConfig base = ServerConfig.defaults();

        assertThatThrownBy(() -> base.toBuilder().host("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--issuer / GATEPASS_ISSUER must be an https URL");
        assertThatThrownBy(() -> base.toBuilder().issuer("http://auth.example.com").host("0.0.0.0").build())
                .hasMessageContaining("must be an https URL");
        assertThat(base.toBuilder().issuer("https://auth.example.com").host("0.0.0.0").build().host()).isEqualTo("0.0.0.0");
        assertThat(base.toBuilder().development(true).host("0.0.0.0").build().issuerFor(8080)).isEqualTo("http://localhost:8080");
        assertThat(base.toBuilder().host("::1").build().host()).isEqualTo("::1");

        Pair pair = selfSigned("gatepass-test-1");
        assertThatThrownBy(() -> TlsFiles.of(pair.certificate(), null)).hasMessageContaining("go together");
        assertThatThrownBy(() -> TlsFiles.of(pair.certificate(), pki.resolve("missing.key")))
                .hasMessageContaining("--tls-key / GATEPASS_TLS_KEY names no readable file");
        assertThatThrownBy(() -> base.toBuilder().issuer("http://localhost:8080").tls(TlsFiles.of(pair.certificate(), pair.key())).build())
                .hasMessageContaining("is http, but --tls-cert");
        assertThat(List.of(base.toBuilder().tls(TlsFiles.of(pair.certificate(), pair.key())).build().issuerFor(8443)))
                .containsExactly("https://localhost:8443");
    }
}
