package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.store.RegistryCache;
import java.security.Provider;
import java.time.Clock;
import java.util.Optional;

/**
 * Client authentication for the token, introspection and revocation endpoints: a client assertion
 * ({@code private_key_jwt}) when the request carries one, a client secret otherwise. One method per request.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
public final class ClientAuthenticator {
    private final ClientSecretAuthenticator secrets;
    private final PrivateKeyJwtAuthenticator assertions;
    private final AuditBatchWriter audit;
    private final FailureThrottle throttle;

    /** @param provider the provider that verifies client assertions, or {@code null} for the JDK's */
    public ClientAuthenticator(RegistryCache registry, AssertionReplayCache replays, AuditBatchWriter audit, String issuer,
                               Clock clock, Provider provider, Metrics metrics, FailureThrottle throttle,
                               OutboundFetcher fetcher) {
        this.secrets = new ClientSecretAuthenticator(registry, audit, metrics, throttle);
        this.assertions = new PrivateKeyJwtAuthenticator(registry, new ClientKeySource(fetcher, clock), replays, issuer, clock, provider);
        this.audit = audit;
        this.throttle = throttle;
    }

    AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params, String endpoint) {
        AuthenticatedClient client = byMethod(request, params, endpoint);
        throttle.succeeded(client.clientId(), request.address());
        return client;
    }

    private AuthenticatedClient byMethod(ClientRequest request, OAuthParameters params, String endpoint) {
        Optional<String> assertion = params.single("client_assertion");
        Optional<String> type = params.single("client_assertion_type");
        if (assertion.isEmpty() && type.isEmpty()) return secrets.authenticate(request, params, endpoint);
        // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
        if (request.authorization().isPresent() || params.single("client_secret").isPresent()) {
            throw OAuthError.invalidRequest("use one client authentication method: a client assertion or a client secret, not both");
        }
        if (assertion.isEmpty()) throw OAuthError.invalidClient("client_assertion_type was sent without client_assertion", false);
        try {
            return assertions.authenticate(type.orElse(null), assertion.get(), params.single("client_id"),
                    clientId -> OAuthError.limitCheck(throttle.admit(clientId, request.address())));
        } catch (PrivateKeyJwtAuthenticator.Refused refused) {
            secrets.failed(refused.clientId, endpoint, refused.reason, request);
            throw OAuthError.invalidClient(refused.description, "reason=" + refused.reason, false);
        }
    }

    /**
     * For the endpoints where an app asks about a token (RFC 7662 §2.1, RFC 7009 §2.1): the caller, authenticated
     * and active (its use recorded for {@code last_used_at}), and the REQUIRED {@code token} parameter.
     */
    record TokenQuery(AuthenticatedClient caller, String token) {
    }

    TokenQuery tokenQuery(ClientRequest request, OAuthParameters params, String endpoint) {
        AuthenticatedClient caller = authenticate(request, params, endpoint);
        activeClientCheck(caller, request, endpoint);
        audit.used(caller.clientId(), caller.secretId());
        // "token_type_hint" is optional, and there is one kind of token here
        String token = params.single("token").orElseThrow(() -> OAuthError.invalidRequest("token is required"));
        return new TokenQuery(caller, token);
    }

    /** The app must not be blocked. */
    void activeClientCheck(AuthenticatedClient client, ClientRequest request, String endpoint) {
        secrets.activeClientCheck(client, request, endpoint);
    }
}
