package io.gatepass.spring;

import com.nimbusds.jose.JWSObject;
import io.gatepass.verifier.GatepassVerifier;
import io.gatepass.verifier.ResourceRequest;
import io.gatepass.verifier.TokenVerificationException;
import io.gatepass.verifier.VerifiedToken;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Spring Security's {@link JwtDecoder} for Gatepass tokens, backed by the verifier SDK: the RFC 9068 checks
 * ({@code typ at+jwt}, issuer, this API's audience, expiry, the key's own algorithm), the revocation feed, and the
 * sender constraint of bound tokens — a DPoP-bound token ({@code cnf.jkt}) only as {@code Authorization: DPoP} with
 * a fresh proof for this request, a certificate-bound one ({@code cnf.x5t#S256}) only over mutual TLS with that
 * certificate (RFC 9449 §7, RFC 8705 §3). The request is the current servlet request; where there is none, bound
 * tokens are refused.
 *
 * <p>Like Spring Boot's own {@code issuer-uri} decoder, it reads the server's metadata on the first token, not at
 * start: an API starts while Gatepass is away. Until the metadata is read, Spring Security treats requests with a
 * token as it does for its own decoder when the issuer cannot be reached (an authentication service error, not a
 * 401: the caller is not at fault); the next token tries again.
 */
public final class GatepassJwtDecoder implements JwtDecoder, AutoCloseable {
    private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
            GatepassJwtDecoder.class.getClassLoader());

    private final Supplier<GatepassVerifier> factory;
    private volatile GatepassVerifier verifier;

    /** @param factory builds the verifier (reading the server's metadata); called again until it succeeds */
    public GatepassJwtDecoder(Supplier<GatepassVerifier> factory) {
        this.factory = factory;
    }

    /** The verifier, built on first use. */
    public GatepassVerifier verifier() {
        GatepassVerifier current = verifier;
        if (current != null) return current;
        synchronized (this) {
            if (verifier == null) {
                try {
                    verifier = factory.get();
                } catch (RuntimeException e) {
                    throw new JwtException("the Gatepass server's metadata cannot be read: " + e.getMessage(), e);
                }
            }
            return verifier;
        }
    }

    @Override
    public void close() {
        GatepassVerifier current = verifier;
        if (current != null) current.close();
    }

    @Override
    public Jwt decode(String token) {
        GatepassVerifier verifier = verifier();
        VerifiedToken verified;
        try {
            ResourceRequest request = SERVLET ? ServletRequests.current(token) : null;
            if (request != null) {
                verified = verifier.verify(request);
            } else {
                verified = verifier.verifyToken(token);
                if (verified.claims().getClaim("cnf") != null) {
                    throw new BadJwtException("the token is sender-constrained (cnf): it is checked only on a request");
                }
            }
        } catch (TokenVerificationException e) {
            throw new BadJwtException(e.description());
        }
        return jwt(token, verified);
    }

    private static Jwt jwt(String token, VerifiedToken verified) {
        Map<String, Object> headers;
        try {
            headers = JWSObject.parse(token).getHeader().toJSONObject();
        } catch (ParseException e) {
            throw new BadJwtException("the access token is malformed");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        verified.claims().getClaims().forEach((name, value) -> claims.put(name, value instanceof Date date ? date.toInstant() : value));
        // Spring reads aud as a list, and the times as Instants
        Object aud = claims.get("aud");
        if (aud instanceof String one) claims.put("aud", List.of(one));
        return new Jwt(token, (Instant) claims.get("iat"), (Instant) claims.get("exp"), headers, Collections.unmodifiableMap(claims));
    }

    /** The servlet request being handled, read only where the servlet API is there. */
    private static final class ServletRequests {
        private static ResourceRequest current(String token) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (!(attributes instanceof ServletRequestAttributes servlet)) return null;
            jakarta.servlet.http.HttpServletRequest request = servlet.getRequest();
            String authorization = request.getHeader("Authorization");
            if (authorization == null || !authorization.endsWith(token)) {
                // the token came some other way (a resolver reading a form field): its scheme is Bearer
                authorization = "Bearer " + token;
            }
            StringBuffer url = request.getRequestURL();
            if (request.getQueryString() != null) url.append('?').append(request.getQueryString());
            X509Certificate[] chain = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
            return new ResourceRequest(request.getMethod(), url.toString(), authorization,
                    Collections.list(request.getHeaders("DPoP")), chain == null || chain.length == 0 ? null : chain[0]);
        }
    }
}
