package io.gatepass.verifier;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a resource server hands the verifier from one request: the {@code Authorization} header, and for
 * sender-constrained tokens the {@code DPoP} proof headers with the method and URL they must name (RFC 9449 §7),
 * and the client certificate of the mutual-TLS connection (RFC 8705 §3).
 *
 * @param method            the request's method, such as {@code GET}
 * @param url               the URL the client sent the request to (behind a proxy, the public one), query included
 *                          or not: it is compared without query and fragment
 * @param authorization     the {@code Authorization} header, or {@code null}
 * @param dpopProofs        every {@code DPoP} header value (usually none or one)
 * @param clientCertificate the TLS client certificate the caller proved it holds, or {@code null}
 */
public record ResourceRequest(String method, String url, String authorization, List<String> dpopProofs,
                              X509Certificate clientCertificate) {
    public ResourceRequest {
        dpopProofs = dpopProofs == null ? List.of() : List.copyOf(dpopProofs);
    }

    /** A request with only an {@code Authorization} header. */
    public static ResourceRequest bearer(String authorization) {
        return new ResourceRequest(null, null, authorization, List.of(), null);
    }
}
