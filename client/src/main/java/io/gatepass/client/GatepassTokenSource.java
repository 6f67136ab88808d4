package io.gatepass.client;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Access tokens for one app and one API, fetched with the client credentials grant (RFC 6749 §4.4), cached, and
 * renewed shortly before they expire. Any number of threads may ask at once: while a token is being fetched, the
 * others wait for the same answer (one request, not one per thread). Server errors (5xx), 429 (honouring
 * {@code Retry-After}) and network failures are retried with exponential backoff and jitter; refusals such as
 * {@code invalid_client} or {@code invalid_scope} are not, since asking again cannot help.
 *
 * <pre>{@code
 * GatepassTokenSource tokens = GatepassTokenSource.builder()
 *         .issuer(URI.create("https://auth.example.com"))
 *         .auth(ClientAuth.clientSecretBasic(clientId, clientSecret))
 *         .audience("https://archive.example.com")
 *         .build();
 * HttpRequest request = tokens.authorize(HttpRequest.newBuilder(uri)).build();
 * }</pre>
 */
public final class GatepassTokenSource {
    private final HttpClient http;
    private final URI issuer;
    private final ClientAuth auth;
    private final String audience;
    private final String scope;
    private final Duration refreshAhead;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final DpopKey dpop;
    private volatile String dpopNonce;
    private volatile URI tokenEndpoint;
    private volatile AccessToken cached;
    private CompletableFuture<AccessToken> inFlight;

    private GatepassTokenSource(Builder b) {
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.issuer = b.issuer;
        this.tokenEndpoint = b.tokenEndpoint;
        this.auth = Objects.requireNonNull(b.auth, "auth");
        this.audience = b.audience;
        this.scope = b.scopes.isEmpty() ? null : String.join(" ", b.scopes);
        this.refreshAhead = b.refreshAhead;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.clock = b.clock;
        this.dpop = b.dpop;
        if (issuer == null && tokenEndpoint == null) throw new IllegalArgumentException("set issuer or tokenEndpoint");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A valid token: the cached one, or a new one when it is missing or about to expire. */
    public AccessToken token() {
        AccessToken current = cached;
        if (fresh(current)) return current;
        CompletableFuture<AccessToken> mine;
        boolean fetcher = false;
        synchronized (this) {
            current = cached;
            if (fresh(current)) return current;
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                fetcher = true;
            }
            mine = inFlight;
        }
        if (fetcher) {
            try {
                AccessToken fetched = fetchWithRetries(clientCredentials());
                cached = fetched;
                mine.complete(fetched);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    inFlight = null;
                }
            }
        }
        try {
            return mine.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }

    /**
     * A token for another API on behalf of the app that called this one (RFC 8693 token exchange): {@code subjectToken}
     * is the token this app was called with; the answer keeps its subject, names this app as the actor ({@code act}),
     * carries at most the scopes both apps are granted on {@code audience}, and never outlives the subject token. This
     * app must be one of the {@code token_exchange_actors} of the subject token's API. Not cached: each call asks.
     *
     * @param scopes the scopes wanted; none for all that both apps are granted
     */
    public AccessToken exchange(String subjectToken, String audience, String... scopes) {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        grant.put("subject_token", Objects.requireNonNull(subjectToken, "subjectToken"));
        grant.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        grant.put("audience", Objects.requireNonNull(audience, "audience"));
        if (scopes.length > 0) grant.put("scope", String.join(" ", scopes));
        return fetchWithRetries(grant);
    }

    /** {@code Bearer <token>}, for an Authorization header (with DPoP: {@code DPoP <token>}, and see {@link #dpopProof}). */
    public String authorizationHeader() {
        AccessToken token = token();
        return (token.dpopBound() ? "DPoP " : "Bearer ") + token.value();
    }

    /**
     * Adds the Authorization header to a {@code java.net.http} request, and with DPoP the request's own proof
     * (RFC 9449 §7.1), for the method and URI the builder holds.
     */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        HttpRequest probe = request.copy().build();
        headers(probe.method(), probe.uri()).forEach(request::header);
        return request;
    }

    /**
     * The headers that carry a valid token on one request to a resource server: {@code Authorization: Bearer …},
     * or for a DPoP-bound token {@code Authorization: DPoP …} and that request's own {@code DPoP} proof
     * (RFC 9449 §7.1). For HTTP clients other than {@code java.net.http}; a new map, and a new proof, every call.
     */
    public Map<String, String> headers(String method, URI url) {
        AccessToken token = token();
        if (!token.dpopBound()) return Map.of("Authorization", "Bearer " + token.value());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "DPoP " + token.value());
        headers.put("DPoP", dpopProof(method, url, token.value()));
        return headers;
    }

    /**
     * A DPoP proof for one request to a resource server that carries {@code accessToken} (RFC 9449 §7.1): send it
     * as the {@code DPoP} header beside {@code Authorization: DPoP <token>}. A new one for every request.
     *
     * @throws IllegalStateException when this source has no DPoP key
     */
    public String dpopProof(String method, URI url, String accessToken) {
        if (dpop == null) throw new IllegalStateException("this token source has no DPoP key: build it with dpop(…)");
        return dpop.proof(method, url, Objects.requireNonNull(accessToken, "accessToken"), null, clock.instant());
    }

    /** Forgets the cached token, e.g. after the API answered 401 (the app's tokens were revoked). */
    public void invalidate() {
        cached = null;
    }

    private boolean fresh(AccessToken token) {
        return token != null && clock.instant().plus(refreshAhead).isBefore(token.expiresAt());
    }

    private Map<String, String> clientCredentials() {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "client_credentials");
        if (audience != null) grant.put("audience", audience);
        if (scope != null) grant.put("scope", scope);
        return grant;
    }

    private AccessToken fetchWithRetries(Map<String, String> grant) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return fetch(grant);
            } catch (Retry retry) {
                if (attempt >= maxAttempts) throw retry.failure;
                Duration wait = retry.retryAfter != null ? retry.retryAfter
                        : Duration.ofMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1)); // full jitter
                sleep(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** A failure worth another attempt, with the server's Retry-After when it gave one. */
    private static final class Retry extends Exception {
        final TokenRequestException failure;
        final Duration retryAfter;

        Retry(TokenRequestException failure, Duration retryAfter) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    private AccessToken fetch(Map<String, String> grant) throws Retry {
        URI endpoint = tokenEndpoint();
        HttpResponse<String> response;
        Instant sent;
        for (int nonceTries = 0; ; nonceTries++) {
            Map<String, String> form = new LinkedHashMap<>(grant);
            Map<String, String> headers = new LinkedHashMap<>();
            auth.apply(form, headers, endpoint, clock);
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(form)));
            headers.forEach(request::header);
            if (dpop != null) request.header("DPoP", dpop.proof("POST", endpoint, null, dpopNonce, clock.instant()));
            sent = clock.instant();
            response = send(request.build());
            // RFC 9449 §8: the server's nonce for the next proof, on success and on use_dpop_nonce alike
            response.headers().firstValue("DPoP-Nonce").ifPresent(nonce -> dpopNonce = nonce);
            if (dpop == null || nonceTries > 0 || response.statusCode() != 400 || !"use_dpop_nonce".equals(errorCode(response))) break;
        }
        int status = response.statusCode();
        if (status == 200) return parseToken(response.body(), sent, grant.get("scope"));
        Map<String, Object> error = json(response.body());
        String code = error == null ? null : (String) error.get("error");
        String description = error == null ? "HTTP " + status : String.valueOf(error.getOrDefault("error_description", "HTTP " + status));
        boolean retryable = status >= 500 || status == 429;
        TokenRequestException failure = new TokenRequestException(status, code, description, retryable, null);
        if (!retryable) throw failure;
        throw new Retry(failure, retryAfter(response));
    }

    private static String errorCode(HttpResponse<String> response) {
        Map<String, Object> error = json(response.body());
        return error == null || !(error.get("error") instanceof String code) ? null : code;
    }

    private HttpResponse<String> send(HttpRequest request) throws Retry {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Retry(new TokenRequestException(0, null, "cannot reach " + request.uri() + ": " + e, true, e), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestException(0, null, "interrupted", false, e);
        }
    }

    private AccessToken parseToken(String body, Instant sent, String scope) {
        Map<String, Object> json = json(body);
        if (json == null || !(json.get("access_token") instanceof String value)) {
            throw new TokenRequestException(200, null, "the token response has no access_token", false, null);
        }
        long expiresIn = json.get("expires_in") instanceof Number n ? n.longValue() : 300;
        String granted = json.get("scope") instanceof String s ? s : (scope == null ? "" : scope);
        String type = json.get("token_type") instanceof String t ? t : "Bearer";
        if (dpop != null && !type.equalsIgnoreCase("DPoP")) {
            throw new TokenRequestException(200, null, "the server answered a " + type + " token to a request with a DPoP "
                    + "proof: it does not support DPoP (RFC 9449 §5)", false, null);
        }
        // from the time the request was sent: the token can only expire later than this says
        return new AccessToken(value, granted, sent.plusSeconds(expiresIn), type);
    }

    /** RFC 9110 §10.2.3: seconds or an HTTP date. */
    private Duration retryAfter(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) return null;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private URI tokenEndpoint() throws Retry {
        URI known = tokenEndpoint;
        if (known != null) return known;
        // RFC 8414 §3: the metadata names the token endpoint
        URI metadata = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/oauth-authorization-server");
        HttpResponse<String> response = send(HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            TokenRequestException failure = new TokenRequestException(response.statusCode(), null,
                    "the server metadata at " + metadata + " answered HTTP " + response.statusCode(),
                    response.statusCode() >= 500, null);
            if (failure.retryable()) throw new Retry(failure, retryAfter(response));
            throw failure;
        }
        Map<String, Object> json = json(response.body());
        if (json == null || !(json.get("token_endpoint") instanceof String endpoint)) {
            throw new TokenRequestException(200, null, "the server metadata names no token_endpoint", false, null);
        }
        tokenEndpoint = URI.create(endpoint);
        return tokenEndpoint;
    }

    private static Map<String, Object> json(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            return null;
        }
    }

    private static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestException(0, null, "interrupted while waiting to retry", false, e);
        }
    }

    /** Settings, with the defaults a service wants. */
    public static final class Builder {
        private HttpClient http;
        private URI issuer;
        private URI tokenEndpoint;
        private ClientAuth auth;
        private String audience;
        private List<String> scopes = List.of();
        private Duration refreshAhead = Duration.ofSeconds(60);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private DpopKey dpop;

        private Builder() {
        }

        /**
         * Asks for DPoP-bound tokens (RFC 9449), proving this key: a stolen token is then useless without it. The
         * source sends a proof with every token request, follows the server's nonces ({@code use_dpop_nonce} is
         * retried once with the nonce given), and makes proofs for resource requests ({@link #authorize},
         * {@link GatepassTokenSource#dpopProof}).
         */
        public Builder dpop(DpopKey key) {
            this.dpop = key;
            return this;
        }

        /** The Gatepass issuer URL; the token endpoint is found through its metadata. */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The token endpoint, when discovery is not wanted. */
        public Builder tokenEndpoint(URI tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
            return this;
        }

        public Builder auth(ClientAuth auth) {
            this.auth = auth;
            return this;
        }

        /** The API identifier; optional when the app has exactly one grant. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** The scopes to ask for; none asks for everything granted. */
        public Builder scopes(String... scopes) {
            this.scopes = List.of(scopes);
            return this;
        }

        /** How long before expiry a token is renewed. Default 60 s. */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = refreshAhead;
            return this;
        }

        /** Attempts per token, the first included. Default 5. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Backoff before the second attempt (doubled each time, full jitter) and its ceiling. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /**
         * Mutual TLS (RFC 8705): the client certificate and trust of the connections to the server, for
         * {@link ClientAuth#tlsClientAuth} apps and certificate-bound tokens. Replaces {@link #httpClient}.
         */
        public Builder sslContext(javax.net.ssl.SSLContext context) {
            this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(context).build();
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public GatepassTokenSource build() {
            return new GatepassTokenSource(this);
        }
    }
}
