package io.gatepass.server.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who sent a request: the caller's address (for throttling and the audit log) and its TLS client certificate
 * (RFC 8705). Directly connected callers are who they are. A request from a trusted proxy ({@code --trusted-proxy})
 * may name the client in {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For} — the nearest hop that is not a
 * trusted proxy is the client — and carry the client certificate its TLS terminated in a header
 * ({@code --client-cert-header}, URL-encoded PEM as nginx's {@code $ssl_client_escaped_cert} and Envoy's
 * {@code x-forwarded-client-cert} {@code Cert=} send it). Nothing is trusted by default, so no caller can name
 * another address or present a certificate it does not hold.
 */
public final class ClientOrigins {
    /** A certificate chain larger than this is not one any proxy forwards. */
    public static final int MAX_CERT_HEADER_LENGTH = 16_384;
    private static final int MAX_HOPS = 20;
    private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)(?:^|[;,\\s])for=(\"[^\"]*\"|[^;,\\s]*)");
    private static final Pattern ENVOY_CERT = Pattern.compile("(?i)(?:^|;)Cert=\"?([^\";]*)\"?");

    /** The request's origin, resolved when first asked for. */
    public final class Origin {
        private final ServerRequest request;
        private String address;
        private Optional<X509Certificate> certificate;

        private Origin(ServerRequest request) {
            this.request = request;
        }

        /** The client's address. */
        public synchronized String address() {
            if (address == null) address = resolveAddress(request);
            return address;
        }

        /** The client certificate it proved it holds, from its own TLS or a trusted proxy's. */
        public synchronized Optional<X509Certificate> certificate() {
            if (certificate == null) certificate = resolveCertificate(request);
            return certificate;
        }
    }

    private final TrustedProxies trusted;
    private final HeaderName certHeader;

    /**
     * @param trusted    the proxies whose forwarding headers are believed
     * @param certHeader the header a trusted proxy puts the client certificate in, or {@code null} for none
     */
    public ClientOrigins(TrustedProxies trusted, String certHeader) {
        this.trusted = trusted;
        this.certHeader = certHeader == null ? null : HeaderNames.create(certHeader);
    }

    /** Nothing trusted: every caller is the address it connects from, with its own TLS certificate. */
    public static ClientOrigins direct() {
        return new ClientOrigins(TrustedProxies.NONE, null);
    }

    /** A routing filter that attaches the request's {@link Origin}. */
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        req.context().register(new Origin(req));
        chain.proceed();
    }

    /** The origin the filter attached, or the direct one (requests that bypassed it). */
    public static Origin of(ServerRequest req) {
        return req.context().get(Origin.class).orElseGet(() -> direct().new Origin(req));
    }

    private String resolveAddress(ServerRequest req) {
        String peer = req.remotePeer().host();
        if (!trusted.contains(peer)) return peer;
        List<String> hops = forwardedHops(req);
        // the nearest hop first: the first one that is not a proxy of ours is the client
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isAddress(hop)) return peer; // a name or an obfuscated id: nothing to throttle by but the proxy
            if (!trusted.contains(hop)) return hop;
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    private static List<String> forwardedHops(ServerRequest req) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = req.headers().all(HeaderNames.FORWARDED, List::of);
        if (!forwarded.isEmpty()) {
            for (String value : forwarded) {
                Matcher m = FORWARDED_FOR.matcher(value);
                while (m.find() && hops.size() < MAX_HOPS) hops.add(node(m.group(1)));
            }
            return hops;
        }
        for (String value : req.headers().all(X_FORWARDED_FOR, List::of)) {
            for (String hop : value.split(",")) {
                if (hops.size() < MAX_HOPS && !hop.isBlank()) hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** RFC 7239 §6: a node is an address, {@code "[v6]:port"}, or an obfuscated name. */
    private static String node(String value) {
        String v = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1 ? value.substring(1, value.length() - 1) : value;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            return end > 0 ? v.substring(1, end) : v;
        }
        int colon = v.indexOf(':');
        return colon > 0 && v.indexOf(':', colon + 1) < 0 ? v.substring(0, colon) : v;
    }

    private static boolean isAddress(String value) {
        return TrustedProxies.literal(value).isPresent();
    }

    private Optional<X509Certificate> resolveCertificate(ServerRequest req) {
        Optional<Certificate[]> own = req.remotePeer().tlsCertificates();
        if (own.isPresent() && own.get().length > 0 && own.get()[0] instanceof X509Certificate cert) return Optional.of(cert);
        if (certHeader == null || !trusted.contains(req.remotePeer().host())) return Optional.empty();
        Optional<String> header = req.headers().first(certHeader);
        if (header.isEmpty() || header.get().isBlank() || header.get().length() > MAX_CERT_HEADER_LENGTH) return Optional.empty();
        return parsePem(header.get());
    }

    /** URL-encoded PEM, as nginx and Envoy ({@code Cert="…"} in {@code x-forwarded-client-cert}) forward it. */
    static Optional<X509Certificate> parsePem(String header) {
        String value = header;
        Matcher envoy = ENVOY_CERT.matcher(value);
        if (!value.contains("-----BEGIN") && envoy.find()) value = envoy.group(1);
        try {
            // percent-decoding only: '+' is base64 inside; a form-encoder's '+' for a space can only be in the
            // BEGIN and END lines
            String pem = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8)
                    .replace("BEGIN+CERTIFICATE", "BEGIN CERTIFICATE").replace("END+CERTIFICATE", "END CERTIFICATE");
            Certificate cert = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return cert instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (CertificateException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
