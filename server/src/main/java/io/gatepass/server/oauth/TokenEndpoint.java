package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import java.security.cert.X509Certificate;
import io.gatepass.server.codec.Json;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.web.JsonResponses;
import io.gatepass.server.codec.Text;
import io.gatepass.server.limits.IssuanceBudget;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatepass.server.token.AccessTokenFormat;
import io.gatepass.server.token.AccessTokenValidator;
import io.gatepass.server.token.MintedToken;
import io.gatepass.server.token.RevocationList;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code POST /oauth/token}: the client credentials grant, and token exchange for calls on behalf of another app.
 * The handler reads as the specs' checklists.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2">RFC 8693 §2</a>
 */
public final class TokenEndpoint {
    private static final String ENDPOINT = "token";
    private static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** RFC 7523 §2.1: the JWT proves the app, as a client assertion would. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** RFC 8693 §3: the one token type taken and issued here. */
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** Exchanges in one chain: the {@code act} claim nests this deep at most. */
    static final int MAX_DELEGATION_DEPTH = 4;
    private static final int MAX_SCOPES = 200;

    private final Json json;
    private final JsonResponses responses;
    private final RegistryCache registry;
    private final ClientAuthenticator authenticator;
    private final AccessTokenFormat format;
    private final AuditBatchWriter audit;

    private final Metrics metrics;
    private final IssuanceBudget budget;
    private final TokenReuse reuse;
    private final AccessTokenValidator validator;
    private final DpopCheck dpop;

    public TokenEndpoint(Json json, RegistryCache registry, ClientAuthenticator authenticator, AccessTokenFormat format,
                         AuditBatchWriter audit, Metrics metrics, IssuanceBudget budget, RevocationList revocations,
                         AccessTokenValidator validator, DpopCheck dpop, Clock clock) {
        this.validator = validator;
        this.dpop = dpop;
        this.metrics = metrics;
        this.budget = budget;
        this.reuse = new TokenReuse(revocations, clock);
        this.json = json;
        this.responses = new JsonResponses(json);
        this.registry = registry;
        this.authenticator = authenticator;
        this.format = format;
        this.audit = audit;
    }

    public void handle(ServerRequest req, ServerResponse res) {
        OAuthParameters params = OAuthParameters.read(req, json);
        // the proof before the app: a use_dpop_nonce answer must not have used up a client assertion sent again
        String jkt = dpop.thumbprint(req);
        Issued issued = issue(ClientRequest.of(req), params, jkt);
        dpop.nonceHeader(res);
        respond(res, issued);
    }

    /**
     * A token, the scopes it carries, what it is bound to, and whether it came from an exchange (RFC 8693 answers
     * say its type).
     */
    record Issued(MintedToken token, String scope, AccessTokenFormat.Binding binding, boolean exchanged) {
        Issued(MintedToken token, String scope, AccessTokenFormat.Binding binding) {
            this(token, scope, binding, false);
        }
    }

    /**
     * The grant itself, from parsed parameters to a signed token (everything but the socket).
     *
     * @param jkt the thumbprint of the key of the request's checked DPoP proof, or {@code null} when it sent none
     */
    Issued issue(ClientRequest request, OAuthParameters given, String jkt) {
        String grantType = supportedGrantType(given);
        OAuthParameters params = grantType.equals(JWT_BEARER) ? given.asClientAssertion() : given;
        AuthenticatedClient caller = authenticator.authenticate(request, params, ENDPOINT);
        authenticator.activeClientCheck(caller, request, ENDPOINT);
        AccessTokenFormat.Binding binding = binding(caller, jkt, request);
        if (grantType.equals(TOKEN_EXCHANGE)) return exchange(caller, params, binding);
        ClientEntry client = caller.entry();
        Api api = resolveTarget(client, params);
        String scope = validateScope(client.scopesByApiId().get(api.id()), api, params, "granted to this app");
        int lifetime = lifetime(api, client);
        boolean reusing = client.client().reuseTokens();
        if (reusing) {
            MintedToken held = reuse.find(caller.clientId(), api.identifier(), scope, format(api, client, binding), lifetime);
            if (held != null) {
                audit.used(caller.clientId(), caller.secretId());
                metrics.tokenReused(caller.clientId(), api.identifier());
                return new Issued(held, scope, binding);
            }
        }
        OAuthError.limitCheck(budget.spend(caller.clientId(), client.client().tokenRateLimit()));
        MintedToken token = format.mint(new AccessTokenFormat.Claims(caller.clientId(), api, scope, lifetime,
                client.claims(api.id()), binding));
        if (reusing) reuse.remember(caller.clientId(), api.identifier(), scope, format(api, client, binding), lifetime, token);
        if (caller.federated() != null) {
            audit.tokenIssued(caller.clientId(), api.identifier(), token.jti(), scope, token.expiresAt(),
                    new AuditBatchWriter.External(caller.federated().issuer(), caller.federated().subject()));
        } else {
            audit.tokenIssued(caller.clientId(), caller.secretId(), api.identifier(), token.jti(), scope, token.expiresAt());
        }
        metrics.tokenIssued(caller.clientId(), api.identifier(), api.signingAlg(), CLIENT_CREDENTIALS);
        return new Issued(token, scope, binding);
    }

    /**
     * What the token is bound to: the DPoP key when the request proved one (RFC 9449 §5), which an app with
     * {@code dpop_bound_access_tokens} must do (§5.2); and for an app with
     * {@code tls_client_certificate_bound_access_tokens} the client certificate of the request (RFC 8705 §3).
     */
    private static AccessTokenFormat.Binding binding(AuthenticatedClient caller, String jkt, ClientRequest request) {
        Client.SenderConstraints constraints = caller.entry().client().constraints();
        if (jkt == null && constraints.dpopBound()) {
            throw OAuthError.invalidDpopProof("this app's tokens are DPoP-bound (dpop_bound_access_tokens): send a DPoP "
                    + "proof header with the request (RFC 9449 §5.2)");
        }
        String x5t = null;
        if (constraints.certificateBound()) {
            X509Certificate certificate = request.certificate().get().orElseThrow(() -> OAuthError.invalidRequest(
                    "this app's tokens are bound to its client certificate (tls_client_certificate_bound_access_tokens): "
                            + "send the request over mutual TLS (RFC 8705 §3)"));
            x5t = TlsClientAuthenticator.thumbprint(certificate);
        }
        return new AccessTokenFormat.Binding(jkt, x5t);
    }

    /**
     * RFC 8693 §2.1: the authenticated app (the actor) asks for a token for another API on behalf of the subject of
     * the token it was called with. It must be one of that token's API's {@code token_exchange_actors}, and granted on
     * the target API; the new token has at most the scopes both it and the subject app are granted there, keeps the
     * subject, records the actor chain in {@code act} (§4.1), and never outlives the subject token.
     */
    private Issued exchange(AuthenticatedClient caller, OAuthParameters params, AccessTokenFormat.Binding binding) {
        String subjectToken = params.single("subject_token")
                .orElseThrow(() -> OAuthError.invalidRequest("subject_token is required (RFC 8693 §2.1)"));
        String subjectType = params.single("subject_token_type")
                .orElseThrow(() -> OAuthError.invalidRequest("subject_token_type is required (RFC 8693 §2.1)"));
        if (!ACCESS_TOKEN_TYPE.equals(subjectType)) {
            throw OAuthError.invalidRequest("subject_token_type must be " + ACCESS_TOKEN_TYPE + ": the subject token is an "
                    + "access token of this server");
        }
        if (params.single("actor_token").isPresent()) {
            throw OAuthError.invalidRequest("actor_token is not supported: the app that authenticates is the actor");
        }
        params.single("requested_token_type").filter(type -> !type.equals(ACCESS_TOKEN_TYPE)).ifPresent(type -> {
            throw OAuthError.invalidRequest("requested_token_type must be " + ACCESS_TOKEN_TYPE);
        });
        AccessTokenValidator.Verdict subject = validator.check(subjectToken);
        if (!subject.active()) {
            throw OAuthError.invalidRequest("the subject_token is not active: " + subject.failure().description());
        }
        JWTClaimsSet claims = subject.claims();
        List<String> audiences = AccessTokenValidator.audiences(claims);
        Api subjectApi = audiences.size() == 1 ? registry.apiByIdentifier(audiences.get(0)).orElse(null) : null;
        if (subjectApi == null) throw OAuthError.invalidRequest("the subject_token is not for an API registered here");
        if (!subjectApi.tokenExchangeActors().contains(caller.clientId())) {
            throw OAuthError.unauthorizedClient("this app is not one of the token_exchange_actors of API "
                    + subjectApi.identifier() + ", the subject_token's audience");
        }
        String subjectId = claims.getSubject();
        ClientEntry subjectApp = registry.client(subjectId).orElseThrow(
                () -> OAuthError.invalidRequest("the subject_token is not active: the app it is about is deleted"));
        Map<String, Object> act = actorChain(claims, caller.clientId());
        ClientEntry actor = caller.entry();
        Api target = resolveTarget(actor, params);
        if (target.isAdminApi()) {
            throw OAuthError.invalidTarget("tokens for the management API are never exchanged; an app uses its own");
        }
        Set<String> subjectGranted = subjectApp.scopesByApiId().get(target.id());
        if (subjectGranted == null) {
            throw OAuthError.invalidTarget("the subject app " + subjectId + " has no grant on API " + target.identifier()
                    + ": an exchanged token has no more rights than its subject");
        }
        Set<String> both = new TreeSet<>(actor.scopesByApiId().get(target.id()));
        both.retainAll(subjectGranted);
        String scope = validateScope(both, target, params, "granted to both this app and the subject app");
        OAuthError.limitCheck(budget.spend(caller.clientId(), actor.client().tokenRateLimit()));
        MintedToken token = format.mint(new AccessTokenFormat.Claims(caller.clientId(), subjectId, target, scope,
                lifetime(target, actor), act, subjectApp.claims(target.id()), claims.getExpirationTime().toInstant(), binding));
        audit.tokenExchanged(caller.clientId(), caller.secretId(), target.identifier(), token.jti(), scope, token.expiresAt(),
                new AuditBatchWriter.Exchange(subjectId, claims.getJWTID(), actors(act)));
        metrics.tokenIssued(caller.clientId(), target.identifier(), target.signingAlg(), "token_exchange");
        return new Issued(token, scope, binding, true);
    }

    /** RFC 8693 §4.1: the new actor outermost, the subject token's own chain nested inside; at most so deep. */
    private static Map<String, Object> actorChain(JWTClaimsSet subject, String actor) {
        Object previous = subject.getClaim("act");
        if (previous != null && depth(previous) >= MAX_DELEGATION_DEPTH) {
            throw OAuthError.invalidRequest("the subject_token was exchanged " + MAX_DELEGATION_DEPTH
                    + " times already; a chain of exchanges is at most " + MAX_DELEGATION_DEPTH + " long");
        }
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actor);
        if (previous != null) act.put("act", previous);
        return act;
    }

    private static int depth(Object act) {
        int depth = 0;
        for (Object level = act; level instanceof Map<?, ?> map; level = map.get("act")) depth++;
        return depth;
    }

    /** The chain's actors, the latest first. */
    private static List<String> actors(Map<String, Object> act) {
        List<String> actors = new java.util.ArrayList<>();
        for (Object level = act; level instanceof Map<?, ?> map; level = map.get("act")) actors.add(String.valueOf(map.get("sub")));
        return actors;
    }

    private static String supportedGrantType(OAuthParameters params) {
        String grantType = params.single("grant_type")
                .orElseThrow(() -> OAuthError.invalidRequest("grant_type is required"));
        if (!CLIENT_CREDENTIALS.equals(grantType) && !TOKEN_EXCHANGE.equals(grantType) && !JWT_BEARER.equals(grantType)) {
            throw OAuthError.unsupportedGrantType("grant_type " + (grantType.length() > 64 ? "(too long)" : grantType)
                    + " is not supported; use client_credentials (or " + TOKEN_EXCHANGE + ")");
        }
        return grantType;
    }

    /** The API the token is for: {@code audience} (Auth0 style) or {@code resource} (RFC 8707). */
    private Api resolveTarget(ClientEntry client, OAuthParameters params) {
        Optional<String> audience = params.single("audience");
        List<String> resources = params.all("resource");
        if (resources.size() > 1) {
            throw OAuthError.invalidTarget("a token is issued for one resource at a time; send one resource parameter");
        }
        Optional<String> resource = resources.stream().findFirst();
        // RFC 8707 §2: the resource value MUST be an absolute URI without a fragment
        resource.ifPresent(TokenEndpoint::checkResourceFormat);
        if (audience.isPresent() && resource.isPresent() && !audience.get().equals(resource.get())) {
            throw OAuthError.invalidRequest("audience and resource name different APIs; send one of them");
        }
        Optional<String> identifier = audience.or(() -> resource);
        if (identifier.isEmpty()) return defaultApi(client);
        Api api = registry.apiByIdentifier(identifier.get())
                .orElseThrow(() -> OAuthError.invalidTarget("no API is registered with identifier " + shorten(identifier.get())));
        if (!client.scopesByApiId().containsKey(api.id())) {
            throw OAuthError.invalidTarget("this app has no grant on API " + api.identifier());
        }
        return api;
    }

    private static void checkResourceFormat(String resource) {
        try {
            URI uri = new URI(resource);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw OAuthError.invalidTarget("resource must be an absolute URI without a fragment");
            }
        } catch (URISyntaxException e) {
            throw OAuthError.invalidTarget("resource must be an absolute URI without a fragment");
        }
    }

    /** No API named: the app's {@code default_audience}, or else the one API it is granted on. */
    private Api defaultApi(ClientEntry client) {
        String defaultAudience = client.client().defaultAudience();
        if (defaultAudience != null) {
            Api api = registry.apiByIdentifier(defaultAudience).orElseThrow(() -> OAuthError.invalidTarget(
                    "this app's default_audience " + shorten(defaultAudience) + " is no longer a registered API"));
            if (!client.scopesByApiId().containsKey(api.id())) {
                throw OAuthError.invalidTarget("this app has no grant on its default_audience " + api.identifier());
            }
            return api;
        }
        if (client.scopesByApiId().size() != 1) {
            throw OAuthError.invalidRequest(client.scopesByApiId().isEmpty()
                    ? "audience is required (this app has no grants yet)"
                    : "audience (or resource) is required: this app is granted access to more than one API and has no "
                    + "default_audience");
        }
        String apiId = client.scopesByApiId().keySet().iterator().next();
        return registry.apiById(apiId)
                .orElseThrow(() -> OAuthError.invalidTarget("the API this app is granted access to no longer exists"));
    }

    /**
     * RFC 6749 §3.3: the requested scopes must be a subset of the grant; none requested means all granted.
     * Scopes the API no longer defines are never issued.
     */
    private static String validateScope(Set<String> granted, Api api, OAuthParameters params, String grantedTo) {
        Optional<String> requested = params.single("scope");
        Set<String> issued = new TreeSet<>();
        if (requested.isEmpty()) {
            for (String scope : granted) if (api.definesScope(scope)) issued.add(scope);
            return String.join(" ", issued);
        }
        String[] tokens = requested.get().split(" ", -1);
        if (tokens.length > MAX_SCOPES) throw OAuthError.invalidScope("too many scopes (at most " + MAX_SCOPES + ")");
        for (String scope : tokens) {
            if (!Text.isScopeToken(scope)) {
                throw OAuthError.invalidScope("scope must be scope tokens separated by single spaces (RFC 6749 §3.3)");
            }
            if (!granted.contains(scope) || !api.definesScope(scope)) {
                throw OAuthError.invalidScope("scope " + shorten(scope) + " is not " + grantedTo + " on API " + api.identifier());
            }
            issued.add(scope);
        }
        return String.join(" ", issued);
    }

    /**
     * What a held token must share with a new one besides app, API, scope and lifetime: its form, claims and binding
     * (a DPoP-bound token is handed back only to a request proving the same key).
     */
    private static String format(Api api, ClientEntry client, AccessTokenFormat.Binding binding) {
        Map<String, Object> claims = client.claims(api.id());
        return api.signingAlg() + " " + api.tokenProfile().type() + (claims.isEmpty() ? "" : " " + claims)
                + (binding.bound() ? " " + binding.confirmation() : "");
    }

    /** The API's lifetime, capped by the app's own limit (RFC 9068 §2.2 {@code exp}). */
    private static int lifetime(Api api, ClientEntry client) {
        Integer cap = client.client().tokenLifetime();
        return cap == null ? api.tokenLifetime() : Math.min(api.tokenLifetime(), cap);
    }

    /** RFC 6749 §5.1; RFC 8693 §2.2.1 adds {@code issued_token_type} to an exchange's answer. */
    private void respond(ServerResponse res, Issued issued) {
        MintedToken token = issued.token();
        String scope = issued.scope();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        if (issued.exchanged()) body.put("issued_token_type", ACCESS_TOKEN_TYPE);
        body.put("token_type", issued.binding().tokenType());
        body.put("expires_in", token.expiresIn());
        if (!scope.isEmpty()) body.put("scope", scope);
        responses.sendNoStore(res, 200, body);
    }

    private static String shorten(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
