package io.gatepass.verifier;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;

/**
 * A Jakarta Servlet filter that lets a request through only with a valid Gatepass access token carrying the
 * required scopes, and answers everything else as RFC 6750 §3 says (status, {@code WWW-Authenticate}, a small JSON
 * body). The verified token is available to the servlet as the request attribute {@value #ATTRIBUTE}.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new GatepassServletFilter(verifier, "archive:write")), "/archive/*", …);
 * }</pre>
 */
public final class GatepassServletFilter implements Filter {
    public static final String ATTRIBUTE = VerifiedToken.class.getName();

    private final GatepassVerifier verifier;
    private final String[] requiredScopes;

    public GatepassServletFilter(GatepassVerifier verifier, String... requiredScopes) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.requiredScopes = requiredScopes.clone();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        VerifiedToken token;
        try {
            token = verifier.verify(resourceRequest(http), requiredScopes);
        } catch (TokenVerificationException e) {
            answer.setStatus(e.status());
            answer.setHeader("WWW-Authenticate", e.wwwAuthenticate());
            answer.setHeader("Cache-Control", "no-store");
            answer.setContentType("application/json");
            String error = e.error() == null ? "unauthorized" : e.error();
            answer.getOutputStream().write(("{\"error\":\"" + error + "\",\"error_description\":\""
                    + e.description().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        request.setAttribute(ATTRIBUTE, token);
        chain.doFilter(request, response);
    }

    /**
     * The request as the verifier checks it: the URL as the container reconstructs it (behind a proxy, let the
     * container honour {@code Forwarded}, as Jetty's {@code ForwardedRequestCustomizer} does, so that it is the URL
     * the client used), the DPoP proofs, and the TLS client certificate (Servlet 6 §3.9).
     */
    static ResourceRequest resourceRequest(HttpServletRequest http) {
        Object certificates = http.getAttribute("jakarta.servlet.request.X509Certificate");
        X509Certificate certificate = certificates instanceof X509Certificate[] chain && chain.length > 0 ? chain[0] : null;
        return new ResourceRequest(http.getMethod(), http.getRequestURL().toString(), http.getHeader("Authorization"),
                Collections.list(http.getHeaders("DPoP")), certificate);
    }
}
