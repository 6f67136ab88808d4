package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.metrics.Metrics;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Client authentication for the token, introspection and revocation endpoints: the one method whose credentials
 * the request carries, and the one place where a failure is recorded (metrics, throttling, audit log).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
public final class ClientAuthenticator {
    private final List<ClientAuthenticationMethod> methods;
    private final AuditBatchWriter audit;
    private final Metrics metrics;
    private final FailureThrottle throttle;
    private final String required;

    /** @param methods the methods this server offers, each recognising its own credentials in a request */
    public ClientAuthenticator(List<ClientAuthenticationMethod> methods, AuditBatchWriter audit, Metrics metrics,
                               FailureThrottle throttle) {
        this.methods = List.copyOf(methods);
        this.audit = audit;
        this.metrics = metrics;
        this.throttle = throttle;
        this.required = "client authentication is required: "
                + this.methods.stream().map(ClientAuthenticationMethod::credentials).collect(Collectors.joining(" or "));
    }

    AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params, String endpoint) {
        ClientAuthenticationMethod method = chosen(request, params);
        AuthenticatedClient client;
        try {
            client = method.authenticate(request, params);
        } catch (ClientAuthenticationRefused refused) {
            failed(refused, endpoint, request);
            throw refused.error();
        }
        throttle.succeeded(client.clientId(), request.address());
        return client;
    }

    private ClientAuthenticationMethod chosen(ClientRequest request, OAuthParameters params) {
        ClientAuthenticationMethod chosen = null;
        for (ClientAuthenticationMethod method : methods) {
            if (!method.presentIn(request, params)) continue;
            // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
            if (chosen != null) {
                throw OAuthError.invalidRequest("use one client authentication method: " + chosen.credentials() + " or "
                        + method.credentials() + ", not both");
            }
            chosen = method;
        }
        if (chosen == null) throw OAuthError.invalidClient(required, false);
        return chosen;
    }

    /**
     * A failed client authentication, counted by reason and, when it names an app-shaped client_id, written to the
     * audit log with the caller's address. Failures that could be guesses count towards throttling.
     */
    private void failed(ClientAuthenticationRefused refused, String endpoint, ClientRequest request) {
        metrics.authenticationFailed(refused.reason());
        if (refused.guess()) throttle.failed(refused.clientId(), request.address());
        if (refused.clientId() != null) {
            audit.authenticationFailed(refused.clientId(), endpoint, refused.reason(), request.remoteHost().get());
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

    /** The app must not be blocked (the token endpoint's {@code unauthorized_client}, RFC 6749 §5.2). */
    void activeClientCheck(AuthenticatedClient client, ClientRequest request, String endpoint) {
        if (!client.entry().client().isActive()) {
            failed(new ClientAuthenticationRefused("app_blocked", "this app is blocked", client.clientId()), endpoint, request);
            throw OAuthError.unauthorizedClient("this app is blocked; ask an administrator to unblock it");
        }
    }
}
