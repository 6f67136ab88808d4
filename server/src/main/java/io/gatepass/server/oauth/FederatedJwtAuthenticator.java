package io.gatepass.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.jose.RefreshingJwks;
import io.gatepass.server.codec.Text;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import java.security.Provider;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workload identity federation: a {@code federated_jwt} app proves itself with a token its own platform issued — a
 * Kubernetes service-account token, a GitHub Actions or GitLab OIDC token, a SPIFFE JWT-SVID — sent as
 * {@code client_assertion} with its {@code client_id}. The checks, in order: a signed JWT with an asymmetric
 * algorithm and no key of its own in the header; {@code iss} an active trusted issuer; the signature by one of its
 * keys; {@code exp} present and not past; a lifetime within the issuer's maximum; {@code nbf}/{@code iat} not in the
 * future; {@code aud} one of the issuer's audiences; one of the app's credentials matching; single use unless the
 * issuer allows reuse. Each refusal is {@code invalid_client} with a reason code in the audit log.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 §3</a>
 * @see <a href="https://datatracker.ietf.org/doc/draft-ietf-oauth-spiffe-client-auth/">draft-ietf-oauth-spiffe-client-auth</a>
 */
public final class FederatedJwtAuthenticator implements ClientAuthenticationMethod {
    static final String JWT_SPIFFE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
    private static final String REPLAY_PREFIX = "issuer:";

    private final RegistryCache registry;
    private final IssuerKeySource keys;
    private final AssertionReplayCache replays;
    private final FailureThrottle throttle;
    private final Metrics metrics;
    private final Clock clock;
    private final AssertionSignatures signatures;

    /**
     * Signatures already checked of tokens an issuer lets apps reuse (a Kubernetes projected token is sent again and
     * again until it rotates): the token, and the issuer and key that verified it. Used only while that key is still
     * among the issuer's keys, so a key the issuer withdraws stops its tokens as without the memo; every other check
     * runs on every request.
     */
    private final Cache<String, Verified> verifiedSignatures = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();

    private record Verified(String issuerId, String keySource, String kid) {
    }

    public FederatedJwtAuthenticator(RegistryCache registry, OutboundFetcher fetcher, AssertionReplayCache replays,
                                     Clock clock, Provider provider, FailureThrottle throttle, Metrics metrics) {
        this.registry = registry;
        this.keys = new IssuerKeySource(fetcher, clock);
        this.replays = replays;
        this.throttle = throttle;
        this.metrics = metrics;
        this.clock = clock;
        this.signatures = new AssertionSignatures(provider);
    }

    @Override
    public String credentials() {
        return "a platform token (client_id, client_assertion and client_assertion_type)";
    }

    /**
     * A client assertion for a {@code federated_jwt} app, or of the SPIFFE type. The app is named by {@code client_id}:
     * the token's {@code sub} is the workload's identity on its platform, not the app.
     */
    @Override
    public boolean presentIn(ClientRequest request, OAuthParameters params) {
        return isFederated(registry, throttle, request, params);
    }

    /**
     * Whether the request's assertion is for this method rather than private_key_jwt. The app is looked up only when
     * the id and the address are not throttled, so that a flood of made-up ids does not reach the registry (a
     * throttled request goes to private_key_jwt, which answers 429 as this method would).
     */
    static boolean isFederated(RegistryCache registry, FailureThrottle throttle, ClientRequest request, OAuthParameters params) {
        if (params.single("client_assertion").isEmpty() && params.single("client_assertion_type").isEmpty()) return false;
        if (params.single("client_assertion_type").filter(JWT_SPIFFE::equals).isPresent()) return true;
        Optional<String> clientId = params.single("client_id");
        if (clientId.isEmpty() || clientId.get().length() > 128) return false;
        if (throttle.admit(clientId.get(), request.address()) != null) return false;
        return registry.client(clientId.get())
                .map(entry -> entry.client().authMethod() == ClientAuthMethod.FEDERATED_JWT).orElse(false);
    }

    @Override
    public AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params) throws ClientAuthenticationRefused {
        String clientId = params.single("client_id").orElseThrow(() -> OAuthError.invalidClient(
                "client_id is required with a platform token: the token's sub names the workload, not the app", false));
        OAuthError.limitCheck(throttle.admit(clientId, request.address()));
        String assertion = params.single("client_assertion")
                .orElseThrow(() -> OAuthError.invalidClient("client_assertion_type was sent without client_assertion", false));
        String type = params.single("client_assertion_type").orElse(null);
        if (!PrivateKeyJwtAuthenticator.JWT_BEARER.equals(type) && !JWT_SPIFFE.equals(type)) {
            throw refused("bad_assertion_type", "client_assertion_type must be " + PrivateKeyJwtAuthenticator.JWT_BEARER
                    + " (or " + JWT_SPIFFE + " for a SPIFFE JWT-SVID)", clientId, null);
        }
        SignedJWT jwt = PrivateKeyJwtAuthenticator.parse(assertion);
        JWTClaimsSet claims = PrivateKeyJwtAuthenticator.claims(jwt);
        PrivateKeyJwtAuthenticator.checkHeader(jwt.getHeader(), clientId);
        TrustedIssuer issuer = trustedIssuer(claims, clientId);
        if (JWT_SPIFFE.equals(type) && issuer.preset() != IssuerPreset.SPIFFE) {
            throw refused("bad_assertion_type", JWT_SPIFFE + " is for issuers with the spiffe preset", clientId, issuer);
        }
        ClientEntry entry = registry.client(clientId)
                .orElseThrow(() -> refused("unknown_client", "client authentication failed", clientId, issuer));
        if (entry.client().authMethod() != ClientAuthMethod.FEDERATED_JWT) {
            throw refused("wrong_method", "client authentication failed", clientId, issuer);
        }
        String kid = verifySignature(assertion, jwt, issuer, clientId);
        checkTimes(claims, issuer, clientId);
        checkAudience(claims, issuer, clientId);
        FederatedCredential credential = entry.federated().stream()
                .filter(c -> c.issuerId().equals(issuer.id()) && matches(c, claims)).findFirst()
                .orElseThrow(() -> refused("no_matching_credential", "no federated credential of this app matches the token "
                        + "(iss " + Text.printable(issuer.issuer()) + ", sub " + Text.printable(String.valueOf(claims.getSubject()))
                        + ")", clientId, issuer));
        if (!issuer.allowReuse()) {
            String jti = claims.getJWTID();
            if (jti == null || jti.isEmpty() || jti.length() > 255) {
                throw refused("no_jti", "this issuer's tokens are single use and need a jti", clientId, issuer);
            }
            if (!replays.firstUse(REPLAY_PREFIX + issuer.id(), jti, claims.getExpirationTime().toInstant())) {
                throw refused("replayed", "this token was used before; this issuer's tokens are single use", clientId, issuer);
            }
        }
        metrics.federatedAuthentication(issuer.id(), "accepted");
        return new AuthenticatedClient(entry, null, kid,
                new AuthenticatedClient.Federated(issuer.issuer(), claims.getSubject(), credential.id()));
    }

    private TrustedIssuer trustedIssuer(JWTClaimsSet claims, String clientId) throws ClientAuthenticationRefused {
        String iss = claims.getIssuer();
        if (iss == null || iss.isEmpty() || iss.length() > OutboundFetcher.MAX_URL_LENGTH) {
            throw refused("untrusted_issuer", "the token has no iss this server knows", clientId, null);
        }
        TrustedIssuer issuer = registry.issuer(iss).orElseThrow(() -> refused("untrusted_issuer",
                "the token's issuer " + Text.printable(iss) + " is not a trusted issuer here", clientId, null));
        if (!issuer.active()) {
            throw refused("issuer_disabled", "the trusted issuer " + Text.printable(iss) + " is disabled", clientId, issuer);
        }
        return issuer;
    }

    /** @return the kid of the key that verified */
    private String verifySignature(String assertion, SignedJWT jwt, TrustedIssuer issuer, String clientId)
            throws ClientAuthenticationRefused {
        String kid = jwt.getHeader().getKeyID();
        JWKSet set;
        try {
            set = keys.keys(issuer, kid);
        } catch (RefreshingJwks.Unavailable e) {
            throw refused("keys_unavailable", e.getMessage(), clientId, issuer);
        }
        Verified known = issuer.allowReuse() ? verifiedSignatures.getIfPresent(assertion) : null;
        if (known != null && known.issuerId().equals(issuer.id()) && known.keySource().equals(issuer.keySource())
                && set.getKeyByKeyId(known.kid()) != null) {
            return known.kid();
        }
        String verifiedBy = checkSignature(jwt, set, kid, issuer, clientId);
        if (issuer.allowReuse() && verifiedBy != null) {
            verifiedSignatures.put(assertion, new Verified(issuer.id(), issuer.keySource(), verifiedBy));
        }
        return verifiedBy;
    }

    private String checkSignature(SignedJWT jwt, JWKSet set, String kid, TrustedIssuer issuer, String clientId)
            throws ClientAuthenticationRefused {
        AssertionSignatures.Outcome outcome = signatures.verify(jwt, set);
        if (outcome.verifiedBy() != null) return outcome.verifiedBy().getKeyID();
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!outcome.candidate()) {
            throw refused("unknown_kid", "the issuer publishes no key with kid " + Text.printable(String.valueOf(kid)), clientId, issuer);
        }
        throw refused("bad_signature", "the token's signature does not verify with the issuer's keys for alg " + alg, clientId, issuer);
    }

    private void checkTimes(JWTClaimsSet claims, TrustedIssuer issuer, String clientId) throws ClientAuthenticationRefused {
        long now = clock.millis();
        long skew = PrivateKeyJwtAuthenticator.CLOCK_SKEW.toMillis();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw refused("no_exp", "the token needs an exp", clientId, issuer);
        if (exp.getTime() <= now - skew) throw refused("expired", "the token has expired; get a fresh one from the platform", clientId, issuer);
        Date iat = claims.getIssueTime();
        long from = iat != null ? Math.min(iat.getTime(), now) : now;
        if (exp.getTime() - from > issuer.maxAssertionLifetime() * 1000L + skew) {
            throw refused("too_long_lived", "the token lives longer than this issuer's max_assertion_lifetime of "
                    + issuer.maxAssertionLifetime() + " seconds", clientId, issuer);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now + skew) throw refused("not_yet_valid", "the token is not valid yet (nbf)", clientId, issuer);
        if (iat != null && iat.getTime() > now + skew) throw refused("issued_in_future", "the token's iat is in the future", clientId, issuer);
    }

    private void checkAudience(JWTClaimsSet claims, TrustedIssuer issuer, String clientId) throws ClientAuthenticationRefused {
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(issuer.audiences()::contains)) {
            throw refused("audience", "the token's aud must name one of " + issuer.audiences()
                    + " (ask the platform for a token with that audience)", clientId, issuer);
        }
    }

    /** The credential's subject and every claim value, compared exactly (numbers by value). */
    private static boolean matches(FederatedCredential credential, JWTClaimsSet claims) {
        if (credential.subject() != null && !credential.subject().equals(claims.getSubject())) return false;
        if (credential.claims() == null) return true;
        Map<String, Object> required = requiredClaims(credential.claims());
        for (Map.Entry<String, Object> claim : required.entrySet()) {
            Object actual = claims.getClaim(claim.getKey());
            Object wanted = claim.getValue();
            if (actual instanceof Number a && wanted instanceof Number w) {
                if (a.doubleValue() != w.doubleValue()) return false;
            } else if (!Objects.equals(actual, wanted)) {
                // GitHub sends ids as strings: a number pinned as a number still matches its decimal string
                if (!(wanted instanceof Number w && actual instanceof String s && s.equals(decimal(w)))) return false;
            }
        }
        return true;
    }

    private static String decimal(Number number) {
        return number.doubleValue() == Math.rint(number.doubleValue()) ? Long.toString(number.longValue()) : number.toString();
    }

    private static final Cache<String, Map<String, Object>> PARSED = Caffeine.newBuilder().maximumSize(10_000).build();

    private static Map<String, Object> requiredClaims(String json) {
        return PARSED.get(json, text -> {
            try {
                return com.nimbusds.jose.util.JSONObjectUtils.parse(text);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("stored credential claims are not JSON", e);
            }
        });
    }

    private ClientAuthenticationRefused refused(String reason, String description, String clientId, TrustedIssuer issuer) {
        metrics.federatedAuthentication(issuer == null ? "untrusted" : issuer.id(), reason);
        return new ClientAuthenticationRefused(reason, description, clientId);
    }
}
