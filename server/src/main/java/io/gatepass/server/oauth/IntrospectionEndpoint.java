package io.gatepass.server.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Api;
import io.gatepass.server.codec.Json;
import io.gatepass.server.web.JsonResponses;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.token.AccessTokenValidator;
import io.gatepass.server.token.AccessTokenValidator.Verdict;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /oauth/introspect}: whether a token is active right now — revocations, blocked and deleted apps take
 * effect at once. The caller authenticates as an app; it may introspect its own tokens and tokens for APIs it is
 * granted on, and an app holding {@code clients:read} on the management API may introspect any token. Every
 * other token, like every inactive one, is answered {@code {"active": false}} and nothing more.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 §2</a>
 */
public final class IntrospectionEndpoint {
    private static final String ENDPOINT = "introspect";
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final Json json;
    private final JsonResponses responses;
    private final RegistryCache registry;
    private final ClientAuthenticator authenticator;
    private final AccessTokenValidator validator;

    public IntrospectionEndpoint(Json json, RegistryCache registry, ClientAuthenticator authenticator,
                                 AccessTokenValidator validator) {
        this.json = json;
        this.responses = new JsonResponses(json);
        this.registry = registry;
        this.authenticator = authenticator;
        this.validator = validator;
    }

    public void handle(ServerRequest req, ServerResponse res) {
        OAuthParameters params = OAuthParameters.read(req, json);
        ClientAuthenticator.TokenQuery query = authenticator.tokenQuery(ClientRequest.of(req), params, ENDPOINT);
        Verdict verdict = validator.check(query.token());
        if (!verdict.active() || !mayIntrospect(query.caller(), verdict)) {
            responses.sendNoStore(res, 200, INACTIVE);
            return;
        }
        responses.sendNoStore(res, 200, activeResponse(verdict.claims()));
    }

    private boolean mayIntrospect(AuthenticatedClient caller, Verdict verdict) {
        if (caller.clientId().equals(verdict.clientId())) return true;
        Map<String, Set<String>> grants = caller.entry().scopesByApiId();
        Api admin = registry.apiByIdentifier(Api.ADMIN_IDENTIFIER).orElse(null);
        if (admin != null && grants.getOrDefault(admin.id(), Set.of()).contains(AdminScopes.CLIENTS_READ)) return true;
        for (String audience : AccessTokenValidator.audiences(verdict.claims())) {
            Api api = registry.apiByIdentifier(audience).orElse(null);
            if (api != null && grants.containsKey(api.id())) return true;
        }
        return false;
    }

    /** RFC 7662 §2.2, with the token's own claims (RFC 9068 §2.2). */
    private static Map<String, Object> activeResponse(JWTClaimsSet claims) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        Object scope = claims.getClaim("scope");
        if (scope != null) body.put("scope", scope);
        body.put("client_id", claims.getClaim("client_id"));
        // RFC 9449 §6.2: a DPoP-bound token says so, and its cnf (below, with the other claims) names the key
        body.put("token_type", claims.getClaim("cnf") instanceof Map<?, ?> cnf && cnf.containsKey("jkt") ? "DPoP" : "Bearer");
        body.put("exp", claims.getExpirationTime().getTime() / 1000);
        body.put("iat", claims.getIssueTime().getTime() / 1000);
        if (claims.getNotBeforeTime() != null) body.put("nbf", claims.getNotBeforeTime().getTime() / 1000);
        body.put("sub", claims.getSubject());
        List<String> audiences = AccessTokenValidator.audiences(claims);
        body.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
        body.put("iss", claims.getIssuer());
        body.put("jti", claims.getJWTID());
        // the rest as the token carries them: RFC 8693 act, the app's custom claims
        claims.getClaims().forEach((name, value) -> body.putIfAbsent(name, value));
        return body;
    }
}
