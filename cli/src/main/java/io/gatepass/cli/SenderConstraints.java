package io.gatepass.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code apps create} and {@code apps update} about sender-constrained tokens: DPoP (RFC 9449 §5.2)
 * and mutual TLS (RFC 8705: the certificate a {@code tls_client_auth} app is known by, certificate-bound tokens).
 */
final class SenderConstraints {
    @Option(names = "--dpop-bound", negatable = true,
            description = "Refuse token requests without a DPoP proof: every token is bound to the app's DPoP key")
    Boolean dpopBound;

    @Option(names = "--cert-bound", negatable = true,
            description = "Bind its tokens to the client certificate of the request (mutual TLS)")
    Boolean certificateBound;

    @Option(names = "--tls-subject-dn", paramLabel = "DN",
            description = "tls_client_auth: its certificate's subject DN (RFC 4514), e.g. \"CN=worker,O=Example\"")
    String subjectDn;

    @Option(names = "--tls-san-dns", paramLabel = "NAME", description = "tls_client_auth: a DNS name of its certificate")
    String sanDns;

    @Option(names = "--tls-san-uri", paramLabel = "URI",
            description = "tls_client_auth: a URI of its certificate, such as a SPIFFE ID")
    String sanUri;

    @Option(names = "--tls-san-ip", paramLabel = "ADDRESS", description = "tls_client_auth: an IP address of its certificate")
    String sanIp;

    @Option(names = "--tls-san-email", paramLabel = "EMAIL", description = "tls_client_auth: an email address of its certificate")
    String sanEmail;

    /** Whether one of the certificate fields is given (which makes the app a {@code tls_client_auth} one). */
    boolean identityGiven() {
        return subjectDn != null || sanDns != null || sanUri != null || sanIp != null || sanEmail != null;
    }

    void addTo(Map<String, Object> body) {
        if (dpopBound != null) body.put("dpop_bound_access_tokens", dpopBound);
        if (certificateBound != null) body.put("tls_client_certificate_bound_access_tokens", certificateBound);
        if (subjectDn != null) body.put("tls_client_auth_subject_dn", subjectDn);
        if (sanDns != null) body.put("tls_client_auth_san_dns", sanDns);
        if (sanUri != null) body.put("tls_client_auth_san_uri", sanUri);
        if (sanIp != null) body.put("tls_client_auth_san_ip", sanIp);
        if (sanEmail != null) body.put("tls_client_auth_san_email", sanEmail);
    }
}
