package io.gatepass.server.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatepass.server.admin.AdminTokenAuthenticator;
import io.gatepass.server.codec.Json;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.InitialAccessToken;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.limits.Limited;
import io.gatepass.server.limits.RegistrationThrottle;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.InitialAccessTokenService;
import io.gatepass.server.manage.RegistrationService;
import io.gatepass.server.oauth.OAuthError;
import io.gatepass.server.web.JsonResponses;
import io.gatepass.server.web.Problem;
import io.gatepass.server.web.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /oauth/register} (RFC 7591 §3) and the registration client URI {@code /oauth/register/{client_id}}
 * (RFC 7592: {@code GET}, {@code PUT}, {@code DELETE}). Registering takes an initial access token an admin made
 * ({@code gpi_…}) or a management token with {@code clients:write}; the client URI takes only that app's
 * registration access token ({@code gpr_…}). Errors are RFC 7591 §3.2.2 JSON, and RFC 6750 §3 challenges for tokens.
 */
public final class RegistrationEndpoint {
    private final Json json;
    private final JsonResponses responses;
    private final RegistrationService registrations;
    private final AdminTokenAuthenticator managementTokens;
    private final RegistrationThrottle throttle;
    private final String publicUrl; // where clients reach the server: the base of registration_client_uri
    private final Clock clock;

    public RegistrationEndpoint(Json json, RegistrationService registrations, AdminTokenAuthenticator managementTokens,
                                RegistrationThrottle throttle, String publicUrl, Clock clock) {
        this.json = json;
        this.responses = new JsonResponses(json);
        this.registrations = registrations;
        this.managementTokens = managementTokens;
        this.throttle = throttle;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    public void register(ServerRequest req, ServerResponse res) {
        Limited limited = throttle.admit(FailureThrottle.addressKey(io.gatepass.server.web.ClientOrigins.of(req).address()));
        if (limited != null) throw OAuthError.tooManyRequests(limited.reason(), limited.retryAfterSeconds());
        String token = bearer(req, "an initial access token (or a management token with clients:write)");
        RegistrationService.Registrant who = registrant(token);
        RegistrationService.Metadata metadata = ClientMetadata.read(body(req), json);
        RegistrationService.Registration registration = translated(() -> registrations.register(who, metadata));
        res.header(HeaderNames.LOCATION, clientUri(registration.client()));
        responses.sendNoStore(res, 201, view(registration));
    }

    public void read(ServerRequest req, ServerResponse res) {
        String clientId = req.path().pathParameters().get("client_id");
        String token = bearer(req, "the app's registration access token");
        responses.sendNoStore(res, 200, view(translated(() -> registrations.read(clientId, token))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        String clientId = req.path().pathParameters().get("client_id");
        String token = bearer(req, "the app's registration access token");
        JsonNode body = body(req);
        RegistrationService.Metadata metadata = ClientMetadata.read(body, json);
        ClientMetadata.clientIdCheck(body, clientId);
        responses.sendNoStore(res, 200, view(translated(() -> registrations.update(clientId, token, metadata))));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        String clientId = req.path().pathParameters().get("client_id");
        String token = bearer(req, "the app's registration access token");
        translated(() -> {
            registrations.remove(clientId, token);
            return null;
        });
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(204).send();
    }

    /** An initial access token by its prefix; anything else must be a management token with clients:write. */
    private RegistrationService.Registrant registrant(String token) {
        if (token.startsWith(InitialAccessTokenService.PREFIX)) {
            InitialAccessToken initial = registrations.initialToken(token)
                    .orElseThrow(() -> OAuthError.bearer(401, "invalid_token", "the initial access token is not known "
                            + "here; it may have been revoked", true));
            if (!clock.instant().isBefore(initial.expiresAt()) || initial.usesLeft() == 0) {
                throw OAuthError.bearer(401, "invalid_token", "the initial access token has expired or has no uses left", true);
            }
            return new RegistrationService.ByInitialToken(initial);
        }
        AdminCaller caller = translated(() -> managementTokens.caller(token));
        if (!caller.scopes().contains(AdminScopes.CLIENTS_WRITE)) {
            throw OAuthError.bearer(403, "insufficient_scope", "a management token must carry " + AdminScopes.CLIENTS_WRITE
                    + " to register apps", true);
        }
        return new RegistrationService.ByManagementToken(caller);
    }

    private static String bearer(ServerRequest req, String what) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> OAuthError.bearer(401, "invalid_token", what + " is required (Authorization: Bearer …)", false));
        // RFC 6750 §2.1: the scheme is case-insensitive
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw OAuthError.bearer(401, "invalid_token", "the Authorization header must be Bearer with " + what, true);
        }
        return header.substring(7).trim();
    }

    private JsonNode body(ServerRequest req) {
        String mediaType = RequestBodies.mediaType(req);
        if (!mediaType.equals("application/json")) {
            throw OAuthError.invalidRequest(415, "send the client metadata as application/json (RFC 7591 §3.1)");
        }
        try {
            return json.parse(RequestBodies.read(req));
        } catch (Json.MalformedJson e) {
            throw OAuthError.registration("invalid_client_metadata", "the JSON body is malformed: " + e.getMessage());
        }
    }

    /** The management layer's refusals in this endpoint's terms. */
    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (Problem problem) {
            throw switch (problem.status()) {
                case 401, 404 -> OAuthError.bearer(401, "invalid_token", problem.detail(), true);
                case 403 -> OAuthError.bearer(403, "insufficient_scope", problem.detail(), true);
                default -> OAuthError.registration("invalid_client_metadata", problem.detail());
            };
        }
    }

    private String clientUri(Client client) {
        return publicUrl + "/oauth/register/" + client.clientId();
    }

    /** RFC 7591 §3.2.1: the metadata as stored, the credentials made just now, and where to manage it. */
    private ObjectNode view(RegistrationService.Registration registration) {
        Client client = registration.client();
        ObjectNode view = json.mapper().createObjectNode();
        view.put("client_id", client.clientId());
        view.put("client_id_issued_at", client.createdAt().getEpochSecond());
        if (registration.secret() != null) view.put("client_secret", registration.secret().value());
        if (client.authMethod().usesSecret()) view.put("client_secret_expires_at", 0);
        view.put("client_name", client.name());
        view.put("token_endpoint_auth_method", client.authMethod().value());
        view.putArray("grant_types").add("client_credentials");
        view.putArray("response_types");
        if (client.jwks() != null) {
            try {
                view.set("jwks", json.parse(client.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (Json.MalformedJson e) {
                throw new IllegalStateException("stored jwks is not JSON", e);
            }
        }
        if (client.jwksUri() != null) view.put("jwks_uri", client.jwksUri());
        if (client.constraints().dpopBound()) view.put("dpop_bound_access_tokens", true);
        if (client.constraints().certificateBound()) view.put("tls_client_certificate_bound_access_tokens", true);
        if (client.constraints().tlsIdentity() != null) {
            view.put(client.constraints().tlsIdentity().field().metadataName(), client.constraints().tlsIdentity().value());
        }
        try {
            JsonNode extras = json.parse(registration.registration().metadata().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Iterator<Map.Entry<String, JsonNode>> it = extras.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                view.set(field.getKey(), field.getValue());
            }
        } catch (Json.MalformedJson e) {
            throw new IllegalStateException("stored registration metadata is not JSON", e);
        }
        if (registration.registrationToken() != null) view.put("registration_access_token", registration.registrationToken());
        view.put("registration_client_uri", clientUri(client));
        return view;
    }
}
