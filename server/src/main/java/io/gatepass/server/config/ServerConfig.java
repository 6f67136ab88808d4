package io.gatepass.server.config;

import io.gatepass.server.keys.KeyPolicy;
import io.gatepass.server.limits.RateLimitPolicy;
import io.gatepass.server.web.TrustedProxies;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Every server setting, with safe defaults, validated at construction with a message naming the setting.
 *
 * @param host                 interface to listen on; loopback by default so a fresh install is not exposed
 * @param port                 TCP port; 0 picks a free one
 * @param issuer               RFC 8414 §2 issuer, {@code iss} of every token; {@code null} means http://localhost:{port}
 * @param dataDir              where the embedded store lives
 * @param databaseUrl          a {@code jdbc:postgresql:} URL shared by several nodes, or {@code null} for the embedded
 *                             SQLite file
 * @param bootstrapAdminSecret the admin app's secret on first start, or {@code null} to generate one
 * @param keyPolicy            when signing keys rotate; {@code null} means {@link KeyPolicy#DEFAULT}
 * @param masterKey            base64 of the 32-byte key that encrypts signing keys at rest, or {@code null} for the
 *                             key file in the data directory
 * @param development          development mode: allows what production must not, such as http {@code jwks_uri}s
 * @param limits               rate limits and the concurrency bound; {@code null} means {@link RateLimitPolicy#DEFAULT}
 * @param tls                  the certificate and key to serve HTTPS with, or {@code null} for plain HTTP
 * @param auditRetention       how long audit events are kept ({@code --audit-retention}); zero keeps them for ever;
 *                             {@code null} means {@link #DEFAULT_AUDIT_RETENTION}
 * @param masterKeyPrevious    during a master key rotation, base64 of the key being replaced, or {@code null}
 * @param edge                 what is in front of the server and what callers may prove: public URL, trusted proxies,
 *                             client certificates, DPoP nonces; {@code null} means {@link Edge#DIRECT}
 * @param auditStream          where the audit log is streamed to ({@code --audit-stream-url}), or {@code null}
 */
public record ServerConfig(String host, int port, String issuer, Path dataDir, String databaseUrl,
                           String bootstrapAdminSecret, KeyPolicy keyPolicy, String masterKey, boolean development,
                           RateLimitPolicy limits, TlsFiles tls, String masterKeyPrevious, java.time.Duration auditRetention,
                           Edge edge, AuditStream auditStream) {
    public static final java.time.Duration DEFAULT_AUDIT_RETENTION = java.time.Duration.ofDays(90);

    /**
     * Audit log streaming: every audit event, in batches of JSON lines, POSTed to a collector and signed with
     * HMAC-SHA256 under {@code secret} (docs/deploy.md).
     *
     * @param url    the collector's URL ({@code --audit-stream-url}); https, or http on a loopback address
     * @param secret the HMAC key ({@code GATEPASS_AUDIT_STREAM_SECRET}, environment only), 32 to 512 characters
     * @param header one more request header the collector wants, {@code Name: value} (a Splunk HEC token, a
     *               Datadog API key: {@code GATEPASS_AUDIT_STREAM_HEADER}, environment only), or {@code null}
     */
    public record AuditStream(java.net.URI url, String secret, String header) {
        public AuditStream(java.net.URI url, String secret) {
            this(url, secret, null);
        }

        public AuditStream {
            if (header != null && header.isBlank()) header = null;
            if (header != null && !header.matches("[A-Za-z0-9-]{1,64}: ?[\\x21-\\x7e][\\x20-\\x7e]{0,4095}")) {
                throw new IllegalArgumentException("GATEPASS_AUDIT_STREAM_HEADER must be one header, Name: value (printable "
                        + "ASCII), such as \"Authorization: Splunk 0000-…\"");
            }
            if (header != null && java.util.Set.of("host", "connection", "content-length", "content-type", "expect", "upgrade",
                    "gatepass-signature", "gatepass-batch").contains(header.substring(0, header.indexOf(':')).toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("GATEPASS_AUDIT_STREAM_HEADER may not set " + header.substring(0, header.indexOf(':'))
                        + ": the stream sets it itself");
            }
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException("--audit-stream-url / GATEPASS_AUDIT_STREAM_URL must be an http(s) URL "
                        + "with a host, such as https://logs.example.com/gatepass");
            }
            if (scheme.equals("http") && !TrustedProxies.loopbackHost(url.getHost())) {
                throw new IllegalArgumentException("--audit-stream-url must be https (http only on a loopback address): "
                        + "the audit log names every app and change");
            }
            if (secret == null || secret.length() < 32 || secret.length() > 512) {
                throw new IllegalArgumentException("--audit-stream-url needs GATEPASS_AUDIT_STREAM_SECRET, 32 to 512 "
                        + "characters: the key its batches are signed with (HMAC-SHA256)");
            }
        }

        /** Never prints the secret, the header's value or the URL's user info and query. */
        @Override
        public String toString() {
            return "AuditStream[url=" + io.gatepass.server.audit.AuditStreamer.shown(url) + ", secret=(set)" + (header == null ? "" : ", header=" + header.substring(0, header.indexOf(':')) + ": (set)") + "]";
        }
    }
    /**
     * @param publicUrl          the URL clients reach the server at ({@code --public-url}): DPoP {@code htu}, the
     *                           metadata's endpoints, and the issuer when none is set; {@code null}: the issuer
     * @param trustedProxies     the proxies whose {@code Forwarded} / {@code X-Forwarded-For} and client certificate
     *                           header are believed ({@code --trusted-proxy})
     * @param clientCertHeader   the header a trusted proxy sends the client certificate in, or {@code null}
     * @param tlsClientAuth      whether the TLS listener asks for client certificates ({@code --tls-client-auth optional})
     * @param clientCa           PEM file of the CAs whose certificates {@code tls_client_auth} apps may present
     *                           ({@code --tls-client-ca}), or {@code null}
     * @param dpopNonces         whether DPoP proofs must carry a server nonce ({@code --dpop-nonce})
     */
    public record Edge(String publicUrl, TrustedProxies trustedProxies, String clientCertHeader, boolean tlsClientAuth,
                       Path clientCa, boolean dpopNonces) {
        public static final Edge DIRECT = new Edge(null, TrustedProxies.NONE, null, false, null, false);

        public Edge {
            if (publicUrl != null && publicUrl.isBlank()) publicUrl = null;
            if (publicUrl != null) publicUrl = validUrl("--public-url / GATEPASS_PUBLIC_URL", publicUrl);
            if (trustedProxies == null) trustedProxies = TrustedProxies.NONE;
            if (clientCertHeader != null && clientCertHeader.isBlank()) clientCertHeader = null;
            if (clientCertHeader != null && !clientCertHeader.matches("[A-Za-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("--client-cert-header must be an HTTP header name, such as X-SSL-Client-Cert");
            }
            if (clientCertHeader != null && trustedProxies.isEmpty()) {
                throw new IllegalArgumentException("--client-cert-header needs --trusted-proxy: only the proxy that terminates "
                        + "TLS may send a client certificate in a header");
            }
        }

        /** Whether a request can come with a client certificate. */
        public boolean clientCertificates() {
            return tlsClientAuth || clientCertHeader != null;
        }
    }
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /** Long enough that a guessed bootstrap secret is as unlikely as a generated one. */
    public static final int MIN_BOOTSTRAP_SECRET_LENGTH = 32;

    public ServerConfig {
        Objects.requireNonNull(host, "--host / GATEPASS_HOST must be set");
        if (host.isBlank()) throw new IllegalArgumentException("--host / GATEPASS_HOST must not be empty");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port / GATEPASS_PORT must be between 0 and 65535, not " + port);
        }
        if (issuer != null) issuer = validIssuer(issuer);
        Objects.requireNonNull(dataDir, "--data-dir / GATEPASS_DATA_DIR must be set");
        if (databaseUrl != null && databaseUrl.isBlank()) databaseUrl = null;
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database-url / GATEPASS_DATABASE_URL must be a jdbc:postgresql:// URL "
                    + "(leave it unset for the embedded store under --data-dir)");
        }
        if (keyPolicy == null) keyPolicy = KeyPolicy.DEFAULT;
        if (limits == null) limits = RateLimitPolicy.DEFAULT;
        if (edge == null) edge = Edge.DIRECT;
        if (auditRetention == null) auditRetention = DEFAULT_AUDIT_RETENTION;
        if (auditRetention.isNegative() || !auditRetention.isZero() && auditRetention.compareTo(java.time.Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("--audit-retention / GATEPASS_AUDIT_RETENTION must be at least P1D (or P0D to "
                    + "keep the audit log for ever), not " + auditRetention);
        }
        if (edge.tlsClientAuth() && tls == null) {
            throw new IllegalArgumentException("--tls-client-auth needs --tls-cert and --tls-key: client certificates come "
                    + "with this server's own TLS (behind a TLS-terminating proxy, use --client-cert-header)");
        }
        httpsIssuerCheck(host, issuer != null ? issuer : edge.publicUrl(), tls, development);
        if (masterKey != null && masterKey.isBlank()) masterKey = null;
        if (masterKeyPrevious != null && masterKeyPrevious.isBlank()) masterKeyPrevious = null;
        if (masterKeyPrevious != null && masterKey == null) {
            throw new IllegalArgumentException("GATEPASS_MASTER_KEY_PREVIOUS needs GATEPASS_MASTER_KEY, the new key");
        }
        if (bootstrapAdminSecret != null && bootstrapAdminSecret.isEmpty()) bootstrapAdminSecret = null;
        if (bootstrapAdminSecret != null) {
            if (bootstrapAdminSecret.length() < MIN_BOOTSTRAP_SECRET_LENGTH || bootstrapAdminSecret.length() > 512) {
                throw new IllegalArgumentException("GATEPASS_BOOTSTRAP_ADMIN_SECRET must be " + MIN_BOOTSTRAP_SECRET_LENGTH
                        + " to 512 characters long");
            }
            if (!bootstrapAdminSecret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("GATEPASS_BOOTSTRAP_ADMIN_SECRET must be printable ASCII without spaces");
            }
        }
    }

    /** Every default, in one place. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These settings, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.issuer = issuer;
        b.dataDir = dataDir;
        b.databaseUrl = databaseUrl;
        b.bootstrapAdminSecret = bootstrapAdminSecret;
        b.keyPolicy = keyPolicy;
        b.masterKey = masterKey;
        b.development = development;
        b.limits = limits;
        b.tls = tls;
        b.edge = edge;
        b.masterKeyPrevious = masterKeyPrevious;
        b.auditRetention = auditRetention;
        b.auditStream = auditStream;
        return b;
    }

    /** Settings with their defaults; {@link #build()} validates them together. */
    public static final class Builder {
        private String host = DEFAULT_HOST; // loopback: a fresh install is not exposed
        private int port = DEFAULT_PORT;
        private String issuer; // null: http://localhost:{port} (https with TLS)
        private Path dataDir = DEFAULT_DATA_DIR;
        private String databaseUrl; // null: the embedded SQLite store in dataDir
        private String bootstrapAdminSecret; // null: generated, printed once on the first start
        private KeyPolicy keyPolicy = KeyPolicy.DEFAULT; // keys.md: one hour published ahead, 90 days signing
        private String masterKey; // null: master.key in dataDir, made on the first start
        private String masterKeyPrevious; // null: no master key rotation under way
        private java.time.Duration auditRetention = DEFAULT_AUDIT_RETENTION; // deploy.md
        private AuditStream auditStream; // null: not streamed
        private boolean development; // allows what production must not; never on by default
        private RateLimitPolicy limits = RateLimitPolicy.DEFAULT; // rate-limits.md
        private TlsFiles tls; // null: plain HTTP (TLS at a proxy, or loopback only)
        private Edge edge = Edge.DIRECT; // sender-constrained.md: no proxy trusted, no client certificates, no nonces

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder issuer(String value) {
            issuer = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder databaseUrl(String value) {
            databaseUrl = value;
            return this;
        }

        public Builder bootstrapAdminSecret(String value) {
            bootstrapAdminSecret = value;
            return this;
        }

        public Builder keyPolicy(KeyPolicy value) {
            keyPolicy = value;
            return this;
        }

        public Builder auditStream(AuditStream value) {
            auditStream = value;
            return this;
        }

        public Builder auditRetention(java.time.Duration value) {
            auditRetention = value;
            return this;
        }

        public Builder masterKeyPrevious(String value) {
            masterKeyPrevious = value;
            return this;
        }

        public Builder masterKey(String value) {
            masterKey = value;
            return this;
        }

        public Builder development(boolean value) {
            development = value;
            return this;
        }

        public Builder limits(RateLimitPolicy value) {
            limits = value;
            return this;
        }

        public Builder tls(TlsFiles value) {
            tls = value;
            return this;
        }

        public Builder edge(Edge value) {
            edge = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is wrong */
        public ServerConfig build() {
            return new ServerConfig(host, port, issuer, dataDir, databaseUrl, bootstrapAdminSecret, keyPolicy, masterKey,
                    development, limits, tls, masterKeyPrevious, auditRetention, edge, auditStream);
        }
    }

    /** Never prints the bootstrap secret or the master key. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", issuer=" + issuer + ", dataDir=" + dataDir
                + ", databaseUrl=" + (databaseUrl == null ? null : "(set)") + ", bootstrapAdminSecret="
                + (bootstrapAdminSecret == null ? null : "(set)") + ", keyPolicy=" + keyPolicy + ", masterKey="
                + (masterKey == null ? null : "(set)") + ", masterKeyPrevious=" + (masterKeyPrevious == null ? null : "(set)")
                + ", development=" + development + ", limits=" + limits + ", tls=" + tls + ", auditRetention=" + auditRetention + ", edge=" + edge
                + ", auditStream=" + auditStream + "]";
    }

    /** The issuer, or the default one for the port the server is bound to. */
    public String issuerFor(int boundPort) {
        if (issuer != null) return issuer;
        if (edge.publicUrl() != null) return edge.publicUrl();
        return (tls != null ? "https" : "http") + "://localhost:" + boundPort;
    }

    /** Where clients reach the server: {@code --public-url}, or else the issuer. */
    public String publicUrlFor(int boundPort) {
        return edge.publicUrl() != null ? edge.publicUrl() : issuerFor(boundPort);
    }

    /**
     * Tokens name their issuer, and clients send secrets to it: anywhere but on this machine that must be https
     * (RFC 8414 §2, RFC 6749 §2.3.1), whether this server terminates TLS itself or a proxy in front of it does.
     */
    private static void httpsIssuerCheck(String host, String issuer, TlsFiles tls, boolean development) {
        boolean https = issuer != null ? issuer.startsWith("https:") : tls != null;
        if (tls != null && !https) {
            throw new IllegalArgumentException("--issuer / GATEPASS_ISSUER is http, but --tls-cert makes this server "
                    + "answer https: make the issuer the https URL clients use");
        }
        if (https || development || isLoopback(host)) return;
        throw new IllegalArgumentException("--issuer / GATEPASS_ISSUER must be an https URL when the server listens on "
                + host + ", which is not a loopback interface: set it to the https address clients use (TLS here with "
                + "--tls-cert and --tls-key, or at a proxy in front), or pass --dev for a local experiment");
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) return true;
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--host / GATEPASS_HOST is not an address of this machine: " + host);
        }
    }

    /** RFC 8414 §2: an https URL with no query or fragment; http is allowed for local use. */
    private static String validIssuer(String issuer) {
        return validUrl("--issuer / GATEPASS_ISSUER", issuer);
    }

    private static String validUrl(String setting, String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = new URI(trimmed);
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(setting + " must be an http(s) URL without query or fragment, not " + value);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + value);
        }
        return trimmed;
    }
}
