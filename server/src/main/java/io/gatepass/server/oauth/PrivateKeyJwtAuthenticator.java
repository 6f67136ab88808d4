package io.gatepass.server.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.jose.RefreshingJwks;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import io.gatepass.server.store.RegistryCache;
import java.security.Provider;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code private_key_jwt}: the app proves who it is with a short-lived JWT signed by one of its registered keys.
 * The checks run in the order below; every refusal is {@code invalid_client} with a description that tells the
 * app's developer what to fix without telling a stranger anything about the app.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication">OIDC Core §9</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 §3</a>
 */
public final class PrivateKeyJwtAuthenticator implements ClientAuthenticationMethod {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /**
     * How far ahead an assertion's exp may be. One hour, as Okta allows: Authlib's PrivateKeyJWT, among others,
     * signs assertions for an hour by default. Its jti can be used once whatever it says.
     */
    static final Duration MAX_LIFETIME = Duration.ofHours(1);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MAX_ASSERTION_LENGTH = 8192;
    private static final int MAX_JTI_LENGTH = 255;

    private final RegistryCache registry;
    private final FailureThrottle throttle;
    private final ClientKeySource keySource;
    private final AssertionReplayCache replays;
    private final List<String> audiences;
    private final Clock clock;
    private final AssertionSignatures signatures;

    /** @param provider the provider that verifies (the native one where it loads), or {@code null} for the JDK's */
    public PrivateKeyJwtAuthenticator(RegistryCache registry, OutboundFetcher fetcher, AssertionReplayCache replays,
                                      String issuer, Clock clock, Provider provider, FailureThrottle throttle) {
        this(registry, new ClientKeySource(fetcher, clock), replays, issuer, clock, provider, throttle);
    }

    PrivateKeyJwtAuthenticator(RegistryCache registry, ClientKeySource keySource, AssertionReplayCache replays,
                               String issuer, Clock clock, Provider provider, FailureThrottle throttle) {
        this.throttle = throttle;
        this.registry = registry;
        this.keySource = keySource;
        this.replays = replays;
        // RFC 7523 §3: the authorization server's issuer or its token endpoint URL; the other endpoints a client
        // authenticates at are accepted too (RFC 7662 and RFC 7009 reuse this authentication)
        this.audiences = List.of(issuer, issuer + "/oauth/token", issuer + "/oauth/introspect", issuer + "/oauth/revoke");
        this.clock = clock;
        this.signatures = new AssertionSignatures(provider);
    }

    @Override
    public String credentials() {
        return "a client assertion (client_assertion and client_assertion_type)";
    }

    /** A client assertion, unless it is a platform token for a {@code federated_jwt} app (its own method). */
    @Override
    public boolean presentIn(ClientRequest request, OAuthParameters params) {
        return (params.single("client_assertion").isPresent() || params.single("client_assertion_type").isPresent())
                && !FederatedJwtAuthenticator.isFederated(registry, throttle, request, params);
    }

    @Override
    public AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params) throws ClientAuthenticationRefused {
        Optional<String> assertion = params.single("client_assertion");
        if (assertion.isEmpty()) throw OAuthError.invalidClient("client_assertion_type was sent without client_assertion", false);
        return authenticate(params.single("client_assertion_type").orElse(null), assertion.get(), params.single("client_id"),
                clientId -> OAuthError.limitCheck(throttle.admit(clientId, request.address())));
    }

    /** @param admit called with the client_id the assertion names, before anything is looked up for it */
    AuthenticatedClient authenticate(String assertionType, String assertion, Optional<String> bodyClientId,
                                     Consumer<String> admit) throws ClientAuthenticationRefused {
        if (!JWT_BEARER.equals(assertionType)) {
            throw new ClientAuthenticationRefused("bad_assertion_type", "client_assertion_type must be " + JWT_BEARER, null);
        }
        SignedJWT jwt = parse(assertion);
        JWTClaimsSet claims = claims(jwt);
        String clientId = clientId(claims, bodyClientId);
        admit.accept(clientId);
        checkHeader(jwt.getHeader(), clientId);
        ClientEntry entry = registry.client(clientId)
                .orElseThrow(() -> new ClientAuthenticationRefused("unknown_client", "client authentication failed", clientId));
        Client client = entry.client();
        if (client.authMethod() != ClientAuthMethod.PRIVATE_KEY_JWT) {
            throw new ClientAuthenticationRefused("wrong_method", "client authentication failed", clientId);
        }
        checkAudience(claims, clientId);
        checkTimes(claims, clientId);
        String jti = claims.getJWTID();
        // OIDC Core §9: "jti" REQUIRED, a unique identifier that prevents reuse
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw new ClientAuthenticationRefused("no_jti", "the assertion needs a jti (a unique id, at most " + MAX_JTI_LENGTH + " characters)", clientId);
        }
        String kid = verifySignature(jwt, client);
        // after the signature, so that nobody but the app can use up its ids
        if (!replays.firstUse(clientId, jti, claims.getExpirationTime().toInstant())) {
            throw new ClientAuthenticationRefused("replayed", "this assertion was used before; make a new one, with a new jti, for each request", clientId);
        }
        return new AuthenticatedClient(entry, null, kid);
    }

    static SignedJWT parse(String assertion) throws ClientAuthenticationRefused {
        if (assertion.length() > MAX_ASSERTION_LENGTH) {
            throw new ClientAuthenticationRefused("malformed", "client_assertion is longer than " + MAX_ASSERTION_LENGTH + " characters", null);
        }
        try {
            // the usual case parsed once; anything else is parsed again below only to say what it is
            return SignedJWT.parse(assertion);
        } catch (ParseException e) {
            // not a JWS: below
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            throw new ClientAuthenticationRefused("malformed", "client_assertion is not a JWT", null);
        }
        if (jwt instanceof PlainJWT) throw new ClientAuthenticationRefused("alg_none", "client_assertion must be signed; alg none is refused", null);
        if (!(jwt instanceof SignedJWT signed)) throw new ClientAuthenticationRefused("malformed", "client_assertion must be a signed JWT (JWS)", null);
        return signed;
    }

    static JWTClaimsSet claims(SignedJWT jwt) throws ClientAuthenticationRefused {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new ClientAuthenticationRefused("malformed", "the client_assertion claims are not a JSON object", null);
        }
    }

    /** RFC 7523 §3: "iss" and "sub" MUST both be the client_id. */
    private static String clientId(JWTClaimsSet claims, Optional<String> bodyClientId) throws ClientAuthenticationRefused {
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (iss == null || sub == null || !iss.equals(sub)) {
            throw new ClientAuthenticationRefused("bad_iss_sub", "the assertion's iss and sub must both be the client_id", null);
        }
        if (iss.isEmpty() || iss.length() > 128 || Text.hasControlCharacter(iss)) {
            throw new ClientAuthenticationRefused("bad_iss_sub", "client authentication failed", null);
        }
        if (bodyClientId.isPresent() && !bodyClientId.get().equals(iss)) {
            throw new ClientAuthenticationRefused("bad_iss_sub", "client_id differs from the assertion's iss and sub", iss);
        }
        return iss;
    }

    /** Only asymmetric algorithms; the key must be one the app registered, never one the assertion carries. */
    static void checkHeader(JWSHeader header, String clientId) throws ClientAuthenticationRefused {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ClientKeys.ALGORITHMS.contains(alg)) {
            throw new ClientAuthenticationRefused("bad_alg", "alg " + Text.printable(alg.getName()) + " is not accepted; use one of "
                    + ClientKeys.ALGORITHMS, clientId);
        }
        if (sendsCrit(header)) {
            // RFC 7515 §4.1.11: an empty list MUST NOT be used; and no extension is understood here
            throw new ClientAuthenticationRefused("bad_crit", header.getCriticalParams() == null || header.getCriticalParams().isEmpty()
                    ? "the assertion's crit header must not be empty (RFC 7515 §4.1.11)"
                    : "the assertion's crit header names extensions this server does not understand", clientId);
        }
        if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new ClientAuthenticationRefused("key_in_header", "the assertion must not name its own key (jwk, jku, x5u, x5c); "
                    + "it is verified with the app's registered keys", clientId);
        }
    }

    /** Whether the header as sent has "crit" at all: the parsed header forgets an empty one. */
    private static boolean sendsCrit(JWSHeader header) {
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) return true;
        String json = header.getParsedBase64URL().decodeToString();
        // the header is parsed a second time only when it could name crit at all (literally, or escaped)
        if (!json.contains("crit") && !json.contains("\\u")) return false;
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(json).containsKey("crit");
        } catch (java.text.ParseException e) {
            return true; // it parsed once already; refuse what cannot be read again
        }
    }

    private void checkAudience(JWTClaimsSet claims, String clientId) throws ClientAuthenticationRefused {
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            throw new ClientAuthenticationRefused("bad_aud", "the assertion's aud must name this server: " + audiences.get(0) + " or "
                    + audiences.get(1), clientId);
        }
    }

    private void checkTimes(JWTClaimsSet claims, String clientId) throws ClientAuthenticationRefused {
        long now = clock.millis();
        long skew = CLOCK_SKEW.toMillis();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw new ClientAuthenticationRefused("no_exp", "the assertion needs an exp", clientId);
        if (exp.getTime() <= now - skew) throw new ClientAuthenticationRefused("expired", "the assertion has expired", clientId);
        if (exp.getTime() > now + MAX_LIFETIME.toMillis() + skew) {
            throw new ClientAuthenticationRefused("too_long_lived", "the assertion lives too long: exp may be at most "
                    + MAX_LIFETIME.toMinutes() + " minutes ahead", clientId);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now + skew) throw new ClientAuthenticationRefused("not_yet_valid", "the assertion is not valid yet (nbf)", clientId);
        Date iat = claims.getIssueTime();
        if (iat != null && iat.getTime() > now + skew) throw new ClientAuthenticationRefused("issued_in_future", "the assertion's iat is in the future", clientId);
    }

    /** @return the kid of the key that verified */
    private String verifySignature(SignedJWT jwt, Client client) throws ClientAuthenticationRefused {
        String kid = jwt.getHeader().getKeyID();
        JWKSet keys;
        try {
            keys = keySource.keys(client, kid);
        } catch (RefreshingJwks.Unavailable e) {
            throw new ClientAuthenticationRefused("keys_unavailable", e.getMessage(), client.clientId());
        }
        AssertionSignatures.Outcome outcome = signatures.verify(jwt, keys);
        if (!outcome.candidate()) {
            throw new ClientAuthenticationRefused("unknown_kid", "no key registered for this app has kid " + Text.printable(kid), client.clientId());
        }
        if (outcome.verifiedBy() != null) return outcome.verifiedBy().getKeyID();
        throw new ClientAuthenticationRefused("bad_signature", "the assertion's signature does not verify with the app's registered keys "
                + "for alg " + jwt.getHeader().getAlgorithm(), client.clientId());
    }
}
