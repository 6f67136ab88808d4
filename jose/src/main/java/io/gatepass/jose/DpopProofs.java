package io.gatepass.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks of a DPoP proof that the token endpoint and a resource server make alike, in the order of RFC 9449
 * §4.3, each refusal naming its check: one {@code DPoP} header, a signed JWT, the required members, {@code typ},
 * an accepted asymmetric {@code alg}, a public {@code jwk} only, the signature by that key, {@code htm}, {@code htu},
 * {@code nonce} where the caller asks for one, {@code iat} within the window, and at a resource {@code ath}. What
 * needs memory is the caller's: the {@code jti} replay list (keyed by the returned thumbprint and {@code jti}) and,
 * at a resource, the key's thumbprint against the token's {@code cnf.jkt}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-4.3">RFC 9449 §4.3</a>
 */
public final class DpopProofs {
    /** RFC 9449 §4.2: the proof's {@code typ}. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");
    public static final String HEADER = "DPoP";
    /** A proof is a header; a longer one than this is not a proof anyone would send (an RSA-16384 jwk fits). */
    public static final int MAX_LENGTH = 12_000;
    private static final int MAX_JTI_LENGTH = 256;
    private static final int MAX_NONCE_LENGTH = 512;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_VERIFIERS = 10_000;
    /** RFC 7518 §6: the members only a private (or symmetric) key has. */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** A proof that passed: its key's RFC 7638 thumbprint (the {@code cnf.jkt} of tokens bound to it) and its ids. */
    public record Proof(String thumbprint, String jti, Instant issuedAt, String nonce) {
    }

    /** A proof that failed a check; the message says which, safe to show the caller. */
    public static class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** RFC 9449 §8: the proof lacks the server's current nonce; answer {@code use_dpop_nonce} with a fresh one. */
    public static final class NonceRequired extends Invalid {
        public NonceRequired(String message) {
            super(message);
        }
    }

    /** The caller's nonces: whether a proof's {@code nonce} (or {@code null} for none) is one it gave out lately. */
    @FunctionalInterface
    public interface Nonces {
        boolean accepts(String nonce);
    }

    private final Set<JWSAlgorithm> algorithms;
    private final Provider provider;
    private final Duration maxAge;
    private final Duration maxAhead;
    private final ConcurrentHashMap<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();
    /** Headers of proofs that verified, by their base64url segment as sent. */
    private final ConcurrentHashMap<String, KnownHeader> knownHeaders = new ConcurrentHashMap<>();

    /** What a proof's header decided: checks 3 to 7 passed, its key's thumbprint, the verifier for check 6. */
    private record KnownHeader(JWSHeader header, String thumbprint, JWSVerifier verifier) {
    }

    /**
     * @param algorithms the asymmetric algorithms accepted (a server's {@code dpop_signing_alg_values_supported})
     * @param provider   the provider that verifies (the native one where it loads), or {@code null} for the JDK's
     * @param maxAge     how old a proof's {@code iat} may be
     * @param maxAhead   how far ahead of this clock a proof's {@code iat} may be (the caller's clock skew)
     */
    public DpopProofs(Set<JWSAlgorithm> algorithms, Provider provider, Duration maxAge, Duration maxAhead) {
        if (!JwkVerifiers.ASYMMETRIC.containsAll(algorithms)) {
            throw new IllegalArgumentException("DPoP proofs are signed with asymmetric algorithms only");
        }
        this.algorithms = Set.copyOf(algorithms);
        this.provider = provider;
        this.maxAge = maxAge;
        this.maxAhead = maxAhead;
    }

    /** The accepted algorithms, for metadata and {@code WWW-Authenticate} challenges. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** How long a proof is accepted after its {@code iat}: the time its {@code jti} must be remembered. */
    public Duration window() {
        return maxAge.plus(maxAhead);
    }

    /**
     * @param headers     every {@code DPoP} header value of the request
     * @param method      the request's method
     * @param url         the URL the request was sent to, as its client sees it (the public URL behind a proxy)
     * @param accessToken at a resource, the access token sent with the proof ({@code ath}); {@code null} at the
     *                    token endpoint
     * @param nonces      the caller's nonces, or {@code null} when it gives out none
     */
    public Proof check(List<String> headers, String method, String url, String accessToken, Nonces nonces, Instant now)
            throws Invalid {
        if (headers.size() != 1) {
            throw new Invalid("send exactly one DPoP header, not " + headers.size() + " (RFC 9449 §4.3 check 1)");
        }
        String value = headers.get(0);
        if (value.length() > MAX_LENGTH) throw new Invalid("the DPoP proof is too long (RFC 9449 §4.3 check 2)");
        int firstDot = value.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : value.indexOf('.', firstDot + 1);
        KnownHeader known = secondDot > 0 && value.indexOf('.', secondDot + 1) < 0
                ? knownHeaders.get(value.substring(0, firstDot)) : null;
        SignedJWT jwt = null;
        JWTClaimsSet claims;
        if (known != null) {
            // a header that passed checks 3 to 7 with an earlier proof: only the claims are new
            try {
                claims = JWTClaimsSet.parse(new Base64URL(value.substring(firstDot + 1, secondDot)).decodeToString());
            } catch (ParseException e) {
                throw new Invalid("the DPoP proof's claims are not a JSON object (RFC 9449 §4.3 check 2)");
            }
            claimChecks(claims, accessToken);
        } else {
            jwt = parse(value);
            JWSHeader header = jwt.getHeader();
            try {
                claims = jwt.getJWTClaimsSet();
            } catch (ParseException e) {
                throw new Invalid("the DPoP proof's claims are not a JSON object (RFC 9449 §4.3 check 2)");
            }
            for (String member : List.of("typ", "jwk")) {
                if ((member.equals("typ") ? header.getType() : header.getJWK()) == null) {
                    throw new Invalid("the DPoP proof has no \"" + member + "\" header (RFC 9449 §4.3 check 3)");
                }
            }
            claimChecks(claims, accessToken);
            known = headerChecks(header);
        }
        signatureCheck(known, value, jwt, firstDot, secondDot);
        String htm = (String) claims.getClaim("htm");
        if (!htm.equals(method)) {
            throw new Invalid("the DPoP proof's \"htm\" must be " + method + ", the request's method (RFC 9449 §4.3 check 8)");
        }
        if (!sameTarget((String) claims.getClaim("htu"), url)) {
            throw new Invalid("the DPoP proof's \"htu\" must be " + withoutQuery(url) + ", the URL of this request without "
                    + "query and fragment (RFC 9449 §4.3 check 9)");
        }
        Object nonce = claims.getClaim("nonce");
        if (nonce != null && (!(nonce instanceof String s) || s.length() > MAX_NONCE_LENGTH)) {
            throw new Invalid("the DPoP proof's \"nonce\" must be the string the server gave (RFC 9449 §4.3 check 10)");
        }
        if (nonces != null && !nonces.accepts((String) nonce)) {
            throw new NonceRequired(nonce == null
                    ? "this server requires a nonce in DPoP proofs: use the one in the DPoP-Nonce header (RFC 9449 §8)"
                    : "the DPoP proof's nonce is not current: use the one in the DPoP-Nonce header (RFC 9449 §8)");
        }
        Instant issuedAt = claims.getIssueTime().toInstant();
        if (issuedAt.isBefore(now.minus(maxAge)) || issuedAt.isAfter(now.plus(maxAhead))) {
            throw new Invalid("the DPoP proof's \"iat\" must be within " + maxAge.toSeconds() + " s before and "
                    + maxAhead.toSeconds() + " s after this server's time: make a new proof for every request, and check "
                    + "the clock (RFC 9449 §4.3 check 11)");
        }
        if (accessToken != null && !ath(accessToken).equals(claims.getClaim("ath"))) {
            throw new Invalid("the DPoP proof's \"ath\" is not the hash of the access token sent with it (RFC 9449 §4.3 "
                    + "check 12)");
        }
        return new Proof(known.thumbprint(), (String) claims.getClaim("jti"), issuedAt, (String) nonce);
    }

    /** RFC 9449 §4.3 check 3 for the claims: the required ones are there and of their types. */
    private static void claimChecks(JWTClaimsSet claims, String accessToken) throws Invalid {
        String jti = stringClaim(claims, "jti");
        stringClaim(claims, "htm");
        stringClaim(claims, "htu");
        if (claims.getIssueTime() == null) throw new Invalid("the DPoP proof has no numeric \"iat\" claim (RFC 9449 §4.3 check 3)");
        if (accessToken != null && claims.getClaim("ath") == null) {
            throw new Invalid("the DPoP proof has no \"ath\" claim, the hash of the access token (RFC 9449 §4.3 check 3)");
        }
        if (jti.length() > MAX_JTI_LENGTH) throw new Invalid("the DPoP proof's \"jti\" is too long");
    }

    /** RFC 9449 §4.3 checks 4, 5 and 7, and the key that check 6 verifies with. */
    private KnownHeader headerChecks(JWSHeader header) throws Invalid {
        if (!TYPE.equals(header.getType())) {
            throw new Invalid("the DPoP proof's \"typ\" must be dpop+jwt (RFC 9449 §4.3 check 4)");
        }
        JWSAlgorithm alg = header.getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new Invalid("the DPoP proof's \"alg\" must be one of " + algorithms.stream().map(JWSAlgorithm::getName).sorted()
                    .toList() + " (RFC 9449 §4.3 check 5)");
        }
        JWK key = header.getJWK();
        if (key.isPrivate()) {
            throw new Invalid("the DPoP proof's \"jwk\" holds a private key: send the public key only (RFC 9449 §4.3 check 7)");
        }
        String thumbprint = thumbprint(key);
        if (key instanceof RSAKey rsa && rsa.size() < MIN_RSA_BITS) {
            throw new Invalid("the DPoP proof's RSA key must have at least " + MIN_RSA_BITS + " bits (RFC 9449 §4.3 check 5)");
        }
        String cacheKey = thumbprint + ' ' + alg.getName();
        JWSVerifier verifier = verifiers.get(cacheKey);
        if (verifier == null) {
            try {
                Optional<JWSVerifier> made = JwkVerifiers.of(key, alg, provider);
                if (made.isEmpty()) {
                    throw new Invalid("the DPoP proof's \"jwk\" cannot make " + alg.getName() + " signatures (RFC 9449 §4.3 "
                            + "check 6)");
                }
                verifier = made.get();
            } catch (JOSEException | GeneralSecurityException e) {
                throw new Invalid("the DPoP proof's \"jwk\" is not a usable public key (RFC 9449 §4.3 check 6)");
            }
            // one entry per key a client holds; a flood of one-off keys only restarts the list
            if (verifiers.size() >= MAX_VERIFIERS) verifiers.clear();
            verifiers.put(cacheKey, verifier);
        }
        return new KnownHeader(header, thumbprint, verifier);
    }

    /**
     * RFC 9449 §4.3 check 6, over the proof as it was sent. A header whose proof verifies is remembered: a client
     * sends the same header (typ, alg, jwk) with every proof, and the next one's header need not be parsed, checked
     * and hashed again.
     */
    private void signatureCheck(KnownHeader known, String value, SignedJWT parsed, int firstDot, int secondDot)
            throws Invalid {
        boolean valid;
        try {
            valid = parsed != null ? parsed.verify(known.verifier()) : known.verifier().verify(known.header(),
                    value.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), new Base64URL(value.substring(secondDot + 1)));
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) throw new Invalid("the DPoP proof's signature does not verify with its \"jwk\" (RFC 9449 §4.3 check 6)");
        if (parsed != null && firstDot > 0 && secondDot > firstDot) {
            if (knownHeaders.size() >= MAX_VERIFIERS) knownHeaders.clear();
            knownHeaders.put(value.substring(0, firstDot), known);
        }
    }

    private static SignedJWT parse(String value) throws Invalid {
        JWT jwt;
        try {
            jwt = JWTParser.parse(value);
        } catch (ParseException e) {
            // Nimbus refuses a header whose jwk is private; say so rather than "not a JWT"
            if (privateJwk(value)) {
                throw new Invalid("the DPoP proof's \"jwk\" holds a private key: send the public key only (RFC 9449 §4.3 check 7)");
            }
            throw new Invalid("the DPoP header is not a JWT (RFC 9449 §4.3 check 2)");
        }
        if (jwt instanceof PlainJWT) {
            throw new Invalid("the DPoP proof is unsigned (alg none): sign it with the key it carries (RFC 9449 §4.3 check 5)");
        }
        if (!(jwt instanceof SignedJWT signed)) throw new Invalid("the DPoP proof must be a signed JWT, not an encrypted one "
                + "(RFC 9449 §4.3 check 2)");
        return signed;
    }

    private static boolean privateJwk(String value) {
        int dot = value.indexOf('.');
        if (dot <= 0) return false;
        try {
            Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(value.substring(0, dot)).decodeToString());
            return header.get("jwk") instanceof Map<?, ?> jwk && PRIVATE_MEMBERS.stream().anyMatch(jwk::containsKey);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws Invalid {
        if (!(claims.getClaim(name) instanceof String value) || value.isEmpty()) {
            throw new Invalid("the DPoP proof has no \"" + name + "\" string claim (RFC 9449 §4.3 check 3)");
        }
        return value;
    }

    /** RFC 7638: the base64url SHA-256 thumbprint of a public key, as {@code cnf.jkt} carries it (RFC 9449 §6.1). */
    public static String thumbprint(JWK key) throws Invalid {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new Invalid("the DPoP proof's \"jwk\" has no thumbprint (RFC 7638)");
        }
    }

    /** RFC 9449 §4.2 {@code ath}: base64url of the SHA-256 of the access token's ASCII. */
    public static String ath(String accessToken) {
        return sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * RFC 8705 §3.1 {@code x5t#S256}: base64url of the SHA-256 of a certificate's DER, as certificate-bound tokens
     * carry it (the server binds, the verifier compares).
     */
    public static String x5tS256(java.security.cert.X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(bytes)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * RFC 9449 §4.3 check 9: {@code htu} is compared without query and fragment, after RFC 3986 §6.2.2 and §6.2.3
     * normalisation (case of scheme and host, default port, empty path).
     */
    static boolean sameTarget(String htu, String url) {
        String a = normalized(htu);
        return a != null && a.equals(normalized(url));
    }

    private static String normalized(String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getHost() == null) return null;
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) port = -1;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String withoutQuery(String url) {
        String n = normalized(url);
        return n == null ? url : n;
    }
}
