package io.gatepass.verifier;

import io.gatepass.jose.AccessTokenCheck;
import io.gatepass.jose.DpopProofs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies Gatepass access tokens for one API, offline: the signature against the server's JWKS (cached, refetched
 * for a new {@code kid}), the RFC 9068 rules ({@code typ at+jwt}, {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with a small skew, the key's own algorithm), scopes, and — when polling is on — the revocation feed,
 * so that a blocked app or revoked token is refused within the polling interval. A token verified once is not
 * verified again while it lives (its expiry and the revocation list are still checked every time).
 *
 * <pre>{@code
 * GatepassVerifier verifier = GatepassVerifier.builder()
 *         .issuer(URI.create("https://auth.example.com"))
 *         .audience("https://archive.example.com")
 *         .pollRevocations(Duration.ofSeconds(5))
 *         .build();
 * VerifiedToken token = verifier.verify(request.getHeader("Authorization"), "archive:write");
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 */
public final class GatepassVerifier implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GatepassVerifier.class.getName());
    private static final int MAX_TOKEN_LENGTH = 8192;
    /** The algorithms DPoP proofs may be signed with (RFC 9449 §7.1 {@code algs}). */
    private static final Set<JWSAlgorithm> DPOP_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.EdDSA);

    private final String issuer;
    private final String audience;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration skew;
    private final Clock clock;
    private final String realm;
    private final JwksCache jwks;
    private final AccessTokenCheck rfc9068;
    private final RevocationFeed feed;
    private final Duration maxFeedAge;
    private final ScheduledExecutorService poller;
    private final ConcurrentHashMap<String, VerifiedToken> verified = new ConcurrentHashMap<>();
    private final int maxCached;
    private static final int MAX_USED_PROOFS = 100_000;
    private final DpopProofs proofs;
    private final String dpopAlgs;
    private final ConcurrentHashMap<String, Long> usedProofs = new ConcurrentHashMap<>();

    private GatepassVerifier(Builder b, Map<String, Object> metadata) {
        this.issuer = b.issuer.toString().replaceAll("/+$", "");
        this.audience = Objects.requireNonNull(b.audience, "audience");
        this.algorithms = Set.copyOf(b.algorithms);
        this.skew = b.skew;
        this.clock = b.clock;
        this.realm = b.realm != null ? b.realm : audience;
        this.maxCached = b.maxCached;
        this.proofs = new DpopProofs(DPOP_ALGORITHMS, null, b.skew.plus(Duration.ofSeconds(30)), b.skew);
        this.dpopAlgs = DPOP_ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().collect(java.util.stream.Collectors.joining(" "));
        if (!issuer.equals(metadata.get("issuer"))) {
            throw new IllegalStateException("the server's metadata names issuer " + metadata.get("issuer") + ", not " + issuer);
        }
        this.jwks = new JwksCache(b.http, URI.create((String) metadata.get("jwks_uri")), clock, b.minJwksRefetch);
        Set<com.nimbusds.jose.JOSEObjectType> types = b.jwtProfile
                ? Set.of(AccessTokenCheck.AT_JWT, AccessTokenCheck.AT_JWT_MEDIA_TYPE, com.nimbusds.jose.JOSEObjectType.JWT)
                : Set.of(AccessTokenCheck.AT_JWT, AccessTokenCheck.AT_JWT_MEDIA_TYPE);
        this.rfc9068 = new AccessTokenCheck(issuer, types, algorithms, header -> jwks.verifier(header.getKeyID(), header.getAlgorithm()));
        if (b.pollInterval != null && metadata.get("revocation_feed_endpoint") instanceof String feedUri) {
            this.feed = new RevocationFeed(b.http, URI.create(feedUri), clock);
            this.maxFeedAge = b.pollInterval.multipliedBy(3);
            this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "gatepass-revocation-feed");
                thread.setDaemon(true);
                return thread;
            });
            long every = b.pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::pollQuietly, 0, every, TimeUnit.MILLISECONDS);
        } else {
            this.feed = null;
            this.maxFeedAge = null;
            this.poller = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the {@code Authorization} header of a request and that the token carries every required scope.
     *
     * @throws TokenVerificationException with the RFC 6750 status, error and {@code WWW-Authenticate} value
     */
    public VerifiedToken verify(String authorizationHeader, String... requiredScopes) {
        return verify(ResourceRequest.bearer(authorizationHeader), requiredScopes);
    }

    /**
     * Verifies a request's token, its sender constraint and its scopes: a DPoP-bound token ({@code cnf.jkt}) only
     * as {@code Authorization: DPoP} with a proof of the same key for this method and URL, used once (RFC 9449 §7);
     * a certificate-bound token ({@code cnf.x5t#S256}) only with that client certificate (RFC 8705 §3); a bearer
     * token as {@code Bearer}.
     *
     * @throws TokenVerificationException with the status, error and {@code WWW-Authenticate} value to answer with
     */
    public VerifiedToken verify(ResourceRequest request, String... requiredScopes) {
        String header = request.authorization();
        boolean dpopScheme = header != null && header.length() > 5 && header.regionMatches(true, 0, "DPoP ", 0, 5);
        try {
            return verifyRequest(request, dpopScheme, requiredScopes);
        } catch (TokenVerificationException e) {
            throw e.as(dpopScheme ? "DPoP" : "Bearer", dpopAlgs);
        }
    }

    private VerifiedToken verifyRequest(ResourceRequest request, boolean dpopScheme, String... requiredScopes) {
        String header = request.authorization();
        if (header == null || header.isBlank()) throw TokenVerificationException.missing(realm);
        // RFC 6750 §2.1 and RFC 9449 §7.1: the scheme is case-insensitive, one space, then the token
        boolean bearerScheme = header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearerScheme && !dpopScheme) {
            throw TokenVerificationException.invalidRequest("the Authorization header must be Bearer <token> or DPoP <token>", realm);
        }
        String value = header.substring(dpopScheme ? 5 : 7).trim();
        VerifiedToken token = verifyToken(value);
        Map<String, Object> cnf;
        try {
            cnf = token.claims().getJSONObjectClaim("cnf");
        } catch (ParseException e) {
            throw invalid("the token's cnf is not an object");
        }
        Object jkt = cnf == null ? null : cnf.get("jkt");
        Object x5t = cnf == null ? null : cnf.get("x5t#S256");
        if (dpopScheme) {
            if (jkt == null) throw invalid("the token is not DPoP-bound: send it as Authorization: Bearer");
            proofCheck(request, value, String.valueOf(jkt));
        } else if (jkt != null) {
            throw invalid("the token is DPoP-bound: send it as Authorization: DPoP <token> with a DPoP proof (RFC 9449 §7.1)");
        }
        if (x5t != null) certificateCheck(request.clientCertificate(), String.valueOf(x5t));
        for (String scope : requiredScopes) {
            if (!token.hasScope(scope)) throw TokenVerificationException.insufficientScope(scope, realm);
        }
        return token;
    }

    /** RFC 9449 §7.1 and §4.3: a proof for this request, with the token's hash, by the key the token is bound to. */
    private void proofCheck(ResourceRequest request, String token, String jkt) {
        if (request.method() == null || request.url() == null) {
            throw TokenVerificationException.invalidRequest("a DPoP token is checked with the request's method and URL: "
                    + "call verify(ResourceRequest)", realm);
        }
        DpopProofs.Proof proof;
        try {
            proof = proofs.check(request.dpopProofs(), request.method(), request.url(), token, null, clock.instant());
        } catch (DpopProofs.Invalid e) {
            throw TokenVerificationException.invalidDpopProof(e.getMessage(), realm, dpopAlgs);
        }
        if (!proof.thumbprint().equals(jkt)) {
            throw TokenVerificationException.invalidDpopProof("the DPoP proof is made with another key than the one the "
                    + "token is bound to (cnf.jkt)", realm, dpopAlgs);
        }
        long now = clock.millis();
        long until = proof.issuedAt().toEpochMilli() + proofs.window().toMillis();
        if (usedProofs.size() >= MAX_USED_PROOFS) usedProofs.values().removeIf(expiry -> expiry <= now);
        if (usedProofs.size() >= MAX_USED_PROOFS) usedProofs.clear(); // bounded; a proof is good for a minute at most
        Long before = usedProofs.putIfAbsent(proof.thumbprint() + ' ' + proof.jti(), until);
        if (before != null && before > now) {
            throw TokenVerificationException.invalidDpopProof("this DPoP proof was used before: make a new one for every "
                    + "request (RFC 9449 §11.1)", realm, dpopAlgs);
        }
    }

    /** RFC 8705 §3.1: the SHA-256 thumbprint of the request's client certificate is the token's. */
    private void certificateCheck(X509Certificate certificate, String x5t) {
        if (certificate == null) {
            throw invalid("the token is bound to a client certificate: call over mutual TLS with it (RFC 8705 §3)");
        }
        String thumbprint;
        try {
            thumbprint = DpopProofs.x5tS256(certificate);
        } catch (IllegalArgumentException e) {
            throw invalid("the client certificate cannot be read");
        }
        if (!MessageDigest.isEqual(thumbprint.getBytes(StandardCharsets.US_ASCII), x5t.getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("the token is bound to another client certificate (cnf.x5t#S256)");
        }
    }

    /**
     * Verifies a bare token (no scopes required). Its sender constraint is not checked here: a resource server
     * calls {@link #verify(ResourceRequest, String...)}, which does.
     */
    public VerifiedToken verifyToken(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw invalid("the access token is malformed");
        VerifiedToken known = verified.get(token);
        VerifiedToken result = known != null ? known : verifyFresh(token);
        long now = clock.millis();
        if (result.expiresAt().toEpochMilli() + skew.toMillis() <= now) {
            verified.remove(token);
            throw invalid("the access token has expired");
        }
        if (feed != null) {
            long iat = result.issuedAt().getEpochSecond();
            // an exchanged token (RFC 8693) is about another app: revoking or blocking that one voids it too
            if (feed.isRevoked(result.jti(), result.clientId(), iat)
                    || (result.subject() != null && !result.subject().equals(result.clientId())
                    && feed.isRevoked(null, result.subject(), iat))) {
                throw invalid("the access token has been revoked");
            }
        }
        if (known == null && maxCached > 0) {
            if (verified.size() >= maxCached) verified.clear(); // crude but bounded; a refill costs one check each
            verified.put(token, result);
        }
        return result;
    }

    private VerifiedToken verifyFresh(String token) {
        AccessTokenCheck.Outcome outcome = rfc9068.check(token);
        if (!outcome.passed()) throw invalid(switch (outcome.failure()) {
            case MALFORMED -> "the access token is malformed";
            // RFC 9068 §4: the typ header must be at+jwt, so that an ID token or another JWT cannot pass for one
            case NOT_ACCESS_TOKEN -> "the token is not an access token (typ must be at+jwt)";
            case ALG_NOT_ACCEPTED -> "the token's alg is not accepted";
            case UNKNOWN_KEY -> "the token was not signed by a key of " + issuer + " with that alg";
            case BAD_SIGNATURE -> "the token signature is invalid";
            case OTHER_ISSUER -> "the token was issued by another server";
        });
        JWTClaimsSet claims = outcome.claims();
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw invalid("the token is not for this API (aud " + audience + ")");
        }
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw invalid("the token has no exp");
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now + skew.toMillis()) throw invalid("the token is not valid yet");
        Object clientId = claims.getClaim("client_id");
        Date iat = claims.getIssueTime();
        if (!(clientId instanceof String id) || iat == null) throw invalid("the token has no client_id or iat");
        Object scope = claims.getClaim("scope");
        Set<String> scopes = scope instanceof String s && !s.isEmpty() ? new HashSet<>(Arrays.asList(s.split(" "))) : Set.of();
        return new VerifiedToken(id, claims.getSubject(), scopes, claims.getJWTID(), iat.toInstant(), exp.toInstant(), claims);
    }

    private TokenVerificationException invalid(String description) {
        return TokenVerificationException.invalidToken(description, realm);
    }

    /**
     * Whether the revocation feed is current (answered within three polling intervals); an API may refuse to
     * serve, or fall back to introspection, when it is not.
     */
    public boolean revocationsCurrent() {
        return feed != null && clock.millis() - feed.lastSuccess() <= maxFeedAge.toMillis();
    }

    /** Polls the revocation feed now (also done on the polling schedule). */
    public void refreshRevocations() throws IOException {
        if (feed == null) throw new IllegalStateException("revocation polling is off");
        feed.poll();
    }

    private void pollQuietly() {
        try {
            feed.poll();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "polling the Gatepass revocation feed failed: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (poller != null) poller.shutdownNow();
    }

    /** Settings; {@link #issuer} and {@link #audience} are required. */
    public static final class Builder {
        private URI issuer;
        private String audience;
        private List<JWSAlgorithm> algorithms = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256,
                JWSAlgorithm.EdDSA);
        private Duration skew = Duration.ofSeconds(30);
        private Duration pollInterval;
        private Duration minJwksRefetch = Duration.ofSeconds(30);
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private String realm;
        private int maxCached = 10_000;
        private boolean jwtProfile;

        private Builder() {
        }

        /**
         * Also accepts {@code typ: JWT}, what Gatepass issues for an API whose {@code token_profile} is {@code jwt};
         * by default only RFC 9068's {@code at+jwt} passes. Every other check stays.
         */
        public Builder acceptJwtProfile(boolean accept) {
            this.jwtProfile = accept;
            return this;
        }

        /** How many verified tokens to remember (each is then not verified again while it lives); 0 turns it off. */
        public Builder verifiedTokenCache(int maxEntries) {
            if (maxEntries < 0) throw new IllegalArgumentException("maxEntries must not be negative");
            this.maxCached = maxEntries;
            return this;
        }

        /** The Gatepass issuer; the JWKS and the revocation feed are found through its metadata (RFC 8414). */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** This API's identifier: tokens must name it in {@code aud}. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Accepted signature algorithms. Default RS256, PS256, ES256, EdDSA; never none or HMAC. */
        public Builder algorithms(JWSAlgorithm... algorithms) {
            for (JWSAlgorithm alg : algorithms) {
                if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || alg.getName().equals("none")) {
                    throw new IllegalArgumentException(alg + " is not an algorithm access tokens may use");
                }
            }
            this.algorithms = List.of(algorithms);
            return this;
        }

        /** Clock skew allowed for exp and nbf. Default 30 s. */
        public Builder clockSkew(Duration skew) {
            this.skew = skew;
            return this;
        }

        /** Polls the revocation feed this often (5 s is a good value); off by default. */
        public Builder pollRevocations(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** The least time between two JWKS fetches for unknown kids. Default 30 s. */
        public Builder minJwksRefetch(Duration interval) {
            this.minJwksRefetch = interval;
            return this;
        }

        /** The realm of WWW-Authenticate answers. Default: the audience. */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Reads the server's metadata; fails when the server cannot be reached or names another issuer. */
        public GatepassVerifier build() {
            Objects.requireNonNull(issuer, "issuer");
            if (http == null) http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI metadataUri = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/oauth-authorization-server");
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(metadataUri).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(metadataUri + " answered HTTP " + response.statusCode());
                }
                return new GatepassVerifier(this, JSONObjectUtils.parse(response.body()));
            } catch (IOException | ParseException e) {
                throw new IllegalStateException("cannot read the server metadata at " + metadataUri + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
