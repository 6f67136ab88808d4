package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.domain.Api;
import io.gatepass.server.codec.Json;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.web.JsonResponses;
import io.gatepass.server.codec.Text;
import io.gatepass.server.limits.IssuanceBudget;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import io.gatepass.server.token.AccessTokenFormat;
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
 * {@code POST /oauth/token}: the client credentials grant. The handler reads as the spec's checklist.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2</a>
 */
public final class TokenEndpoint {
    private static final String ENDPOINT = "token";
    private static final String CLIENT_CREDENTIALS = "client_credentials";
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

    public TokenEndpoint(Json json, RegistryCache registry, ClientAuthenticator authenticator, AccessTokenFormat format,
                         AuditBatchWriter audit, Metrics metrics, IssuanceBudget budget, RevocationList revocations,
                         Clock clock) {
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
        Issued issued = issue(ClientRequest.of(req), params);
        respond(res, issued.token(), issued.scope());
    }

    /** A token and the scopes it carries. */
    record Issued(MintedToken token, String scope) {
    }

    /** The grant itself, from parsed parameters to a signed token (everything but the socket). */
    Issued issue(ClientRequest request, OAuthParameters params) {
        supportedGrantTypeCheck(params);
        AuthenticatedClient caller = authenticator.authenticate(request, params, ENDPOINT);
        authenticator.activeClientCheck(caller, request, ENDPOINT);
        ClientEntry client = caller.entry();
        Api api = resolveTarget(client, params);
        String scope = validateScope(client, api, params);
        int lifetime = lifetime(api, client);
        boolean reusing = client.client().reuseTokens();
        if (reusing) {
            MintedToken held = reuse.find(caller.clientId(), api.identifier(), scope, format(api), lifetime);
            if (held != null) {
                audit.used(caller.clientId(), caller.secretId());
                metrics.tokenReused(caller.clientId(), api.identifier());
                return new Issued(held, scope);
            }
        }
        OAuthError.limitCheck(budget.spend(caller.clientId(), client.client().tokenRateLimit()));
        MintedToken token = format.mint(new AccessTokenFormat.Claims(caller.clientId(), api, scope, lifetime));
        if (reusing) reuse.remember(caller.clientId(), api.identifier(), scope, format(api), lifetime, token);
        audit.tokenIssued(caller.clientId(), caller.secretId(), api.identifier(), token.jti(), scope, token.expiresAt());
        metrics.tokenIssued(caller.clientId(), api.identifier(), api.signingAlg());
        return new Issued(token, scope);
    }

    private static void supportedGrantTypeCheck(OAuthParameters params) {
        String grantType = params.single("grant_type")
                .orElseThrow(() -> OAuthError.invalidRequest("grant_type is required"));
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            throw OAuthError.unsupportedGrantType("grant_type " + (grantType.length() > 64 ? "(too long)" : grantType)
                    + " is not supported; use client_credentials");
        }
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
    private static String validateScope(ClientEntry client, Api api, OAuthParameters params) {
        Set<String> granted = client.scopesByApiId().get(api.id());
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
                throw OAuthError.invalidScope("scope " + shorten(scope) + " is not granted to this app on API " + api.identifier());
            }
            issued.add(scope);
        }
        return String.join(" ", issued);
    }

    /** What a held token must share with a new one besides app, API, scope and lifetime. */
    private static String format(Api api) {
        return api.signingAlg() + " " + api.tokenProfile().type();
    }

    /** The API's lifetime, capped by the app's own limit (RFC 9068 §2.2 {@code exp}). */
    private static int lifetime(Api api, ClientEntry client) {
        Integer cap = client.client().tokenLifetime();
        return cap == null ? api.tokenLifetime() : Math.min(api.tokenLifetime(), cap);
    }

    /** RFC 6749 §5.1. */
    private void respond(ServerResponse res, MintedToken token, String scope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        if (!scope.isEmpty()) body.put("scope", scope);
        responses.sendNoStore(res, 200, body);
    }

    private static String shorten(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
