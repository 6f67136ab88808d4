package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.config.TlsFiles;
import io.gatepass.server.web.TrustedProxies;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS (RFC 8705) with a test PKI made by openssl: a CA, a client certificate it issued (subject DN and a
 * SPIFFE ID as SAN URI), a self-signed one, and the server's own. Apps set up on a plain server first, then the same
 * store served over TLS that asks for client certificates; and behind a proxy that forwards the certificate.
 */
class MtlsTest {
    private static final String DN = "CN=billing-worker,O=Example Corp";
    private static final String SPIFFE_ID = "spiffe://example.org/ns/prod/sa/billing";

    @TempDir
    Path dataDir;
    @TempDir
    Path pki;
    Path ca;
    Path worker;
    Path workerKey;
    Path selfSigned;
    Path selfSignedKey;
    Path server;
    Path serverKey;

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("openssl (apt-get install openssl): " + output).isZero();
    }

    @BeforeEach
    void pki() throws Exception {
        ca = pki.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=Test Client CA", "-keyout", "ca.key", "-out", "ca.crt");
        worker = pki.resolve("worker.crt");
        workerKey = pki.resolve("worker.key");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/O=Example Corp/CN=billing-worker", "-keyout", "worker.key", "-out", "worker.csr");
        Files.writeString(pki.resolve("worker.ext"), "subjectAltName=URI:" + SPIFFE_ID + ",DNS:billing.example.org\n");
        openssl("x509", "-req", "-in", "worker.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "worker.ext", "-out", "worker.crt");
        selfSigned = pki.resolve("self.crt");
        selfSignedKey = pki.resolve("self.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=self-signed-device", "-keyout", "self.key", "-out", "self.crt");
        server = pki.resolve("server.crt");
        serverKey = pki.resolve("server.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=gatepass", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", "server.key", "-out", "server.crt");
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Trusts the server's certificate; presents {@code cert} (with its key) when the server asks, if given. */
    private HttpClient client(Path cert, Path key) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate(server));
        TrustManagerFactory trusting = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusting.init(trust);
        KeyManagerFactory keys = null;
        if (cert != null) {
            String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("client", privateKey, "pw".toCharArray(), new java.security.cert.Certificate[] {certificate(cert)});
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trusting.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private record Apps(String api, String byDn, String bySpiffeId, String byOtherUri, String selfSigned) {
    }

    /** The apps, made on a plain server over the same store. */
    private Apps apps() throws Exception {
        try (TestServer plain = TestServer.start(dataDir)) {
            String api = TestServer.uniqueIdentifier();
            String apiId = plain.createApi(api, "pay");
            String byDn = app(plain, apiId, "{\"client_name\":\"billing\",\"token_endpoint_auth_method\":\"tls_client_auth\","
                    + "\"tls_client_auth_subject_dn\":\"cn=billing-worker, o=Example Corp\","
                    + "\"tls_client_certificate_bound_access_tokens\":true}");
            String bySpiffeId = app(plain, apiId, "{\"client_name\":\"billing-spiffe\",\"token_endpoint_auth_method\":"
                    + "\"tls_client_auth\",\"tls_client_auth_san_uri\":\"" + SPIFFE_ID + "\"}");
            String byOtherUri = app(plain, apiId, "{\"client_name\":\"other\",\"token_endpoint_auth_method\":"
                    + "\"tls_client_auth\",\"tls_client_auth_san_uri\":\"spiffe://example.org/ns/prod/sa/other\"}");
            JWK deviceKey = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                    (java.security.interfaces.ECPublicKey) certificate(selfSigned).getPublicKey()).build();
            String device = app(plain, apiId, "{\"client_name\":\"device\",\"token_endpoint_auth_method\":"
                    + "\"self_signed_tls_client_auth\",\"jwks\":" + new JWKSet(deviceKey) + "}");
            // RFC 8705 §2.1.2: one field; and a tls_client_auth app needs one
            plain.admin("POST", "/admin/clients", "{\"client_name\":\"x\",\"token_endpoint_auth_method\":\"tls_client_auth\","
                    + "\"tls_client_auth_subject_dn\":\"CN=a\",\"tls_client_auth_san_uri\":\"spiffe://a/b\"}").assertProblem(400);
            assertThat(plain.admin("POST", "/admin/clients", "{\"client_name\":\"x\",\"token_endpoint_auth_method\":"
                    + "\"tls_client_auth\"}").assertProblem(400)).contains("tls_client_auth_subject_dn");
            plain.admin("POST", "/admin/clients", "{\"client_name\":\"x\",\"token_endpoint_auth_method\":\"tls_client_auth\","
                    + "\"tls_client_auth_subject_dn\":\"not a dn\"}").assertProblem(400);
            return new Apps(api, byDn, bySpiffeId, byOtherUri, device);
        }
    }

    private static String app(TestServer plain, String apiId, String body) {
        Response created = plain.admin("POST", "/admin/clients", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().has("client_secret")).isFalse();
        String clientId = created.json().get("client_id").asText();
        plain.grant(clientId, apiId, "pay");
        return clientId;
    }

    private static HttpResponse<String> token(HttpClient client, URI endpoint, String clientId, String audience,
                                              String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8)));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String thumbprint(Path cert) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(certificate(cert).getEncoded()));
    }

    @Test
    void mutualTlsWhenTheCertificateIsTheAppsThenTokensBoundToItAndOtherCertificatesRefused() throws Exception {
        Apps apps = apps();
        ServerConfig config = TestServer.config(dataDir).toBuilder().tls(TlsFiles.of(server, serverKey))
                .edge(new ServerConfig.Edge(null, TrustedProxies.NONE, null, true, ca, false)).build();
        try (TestServer gatepass = TestServer.start(config)) {
            URI base = URI.create("https://127.0.0.1:" + gatepass.uri("/").getPort());
            URI endpoint = base.resolve("/oauth/token");
            HttpClient workerClient = client(worker, workerKey);

            HttpResponse<String> byDn = token(workerClient, endpoint, apps.byDn(), apps.api());
            assertThat(byDn.statusCode()).as(byDn.body()).isEqualTo(200);
            JsonNode issued = TestServer.JSON.readTree(byDn.body());
            assertThat(issued.get("token_type").asText()).isEqualTo("Bearer"); // RFC 8705 §3: still a bearer scheme
            String token = issued.get("access_token").asText();
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                    .containsEntry("x5t#S256", thumbprint(worker));

            assertThat(token(workerClient, endpoint, apps.bySpiffeId(), apps.api()).statusCode()).isEqualTo(200);
            assertThat(token(workerClient, endpoint, apps.byOtherUri(), apps.api()).body()).contains("invalid_client")
                    .contains("tls_client_auth_san_uri");
            assertThat(token(client(selfSigned, selfSignedKey), endpoint, apps.selfSigned(), apps.api()).statusCode()).isEqualTo(200);
            // the device's certificate is not from the CA; the worker's key is not the device's
            assertThat(token(client(selfSigned, selfSignedKey), endpoint, apps.byDn(), apps.api()).body())
                    .contains("invalid_client").contains("trusted CA");
            assertThat(token(workerClient, endpoint, apps.selfSigned(), apps.api()).body()).contains("registered keys");
            HttpResponse<String> none = token(client(null, null), endpoint, apps.byDn(), apps.api());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("without one");

            JsonNode metadata = TestServer.JSON.readTree(client(null, null).send(HttpRequest.newBuilder(
                    base.resolve("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metadata.get("tls_client_certificate_bound_access_tokens").asBoolean()).isTrue();
            assertThat(metadata.at("/mtls_endpoint_aliases/token_endpoint").asText()).endsWith("/oauth/token");
            assertThat(metadata.get("token_endpoint_auth_methods_supported").toString()).contains("tls_client_auth",
                    "self_signed_tls_client_auth");
        }
    }

    @Test
    void proxyHeaderWhenFromATrustedProxyThenTheForwardedCertificateCountsAndFromAnyoneElseNot() throws Exception {
        Apps apps = apps();
        String pem = URLEncoder.encode(Files.readString(worker), StandardCharsets.UTF_8);
        ServerConfig trusted = TestServer.config(dataDir).toBuilder().edge(new ServerConfig.Edge(null,
                TrustedProxies.parse("127.0.0.1"), "X-SSL-Client-Cert", false, ca, false)).build();
        try (TestServer gatepass = TestServer.start(trusted)) {
            HttpResponse<String> response = token(HttpClient.newHttpClient(), gatepass.uri("/oauth/token"), apps.byDn(), apps.api(),
                    "X-SSL-Client-Cert", pem);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(SignedJWT.parse(TestServer.JSON.readTree(response.body()).get("access_token").asText()).getJWTClaimsSet()
                    .getJSONObjectClaim("cnf")).containsEntry("x5t#S256", thumbprint(worker));
            // Envoy's x-forwarded-client-cert form
            HttpResponse<String> envoy = token(HttpClient.newHttpClient(), gatepass.uri("/oauth/token"), apps.bySpiffeId(),
                    apps.api(), "X-SSL-Client-Cert", "By=spiffe://example.org/gatepass;Hash=abc;Cert=\"" + pem + "\"");
            assertThat(envoy.statusCode()).as(envoy.body()).isEqualTo(200);
        }
        ServerConfig otherProxy = TestServer.config(dataDir).toBuilder().edge(new ServerConfig.Edge(null,
                TrustedProxies.parse("10.0.0.0/8"), "X-SSL-Client-Cert", false, ca, false)).build();
        try (TestServer gatepass = TestServer.start(otherProxy)) {
            HttpResponse<String> response = token(HttpClient.newHttpClient(), gatepass.uri("/oauth/token"), apps.byDn(), apps.api(),
                    "X-SSL-Client-Cert", pem);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("without one");
        }
    }
}
