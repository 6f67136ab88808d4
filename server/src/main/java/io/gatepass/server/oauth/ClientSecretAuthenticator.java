package io.gatepass.server.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.codec.Text;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import io.gatepass.server.store.RegistryCache.SecretDigest;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates apps by client secret: {@code client_secret_basic} (RFC 6749 §2.3.1, the Authorization header
 * with form-encoded id and secret) and {@code client_secret_post} (the same two in a form or JSON body). The two
 * transports carry the same credential (RFC 6749 §2.3.1), so an app registered for either may use either; its
 * registered method is only its preferred one. An app registered for its own key never authenticates by secret.
 * Failures that name a client_id go to the audit log, with the reason and the caller's address but never what was
 * presented.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
final class ClientSecretAuthenticator {
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MAX_CLIENT_ID_LENGTH = 128;
    private static final List<SecretDigest> NO_SECRETS = List.of(new SecretDigest("none", new byte[32]));

    private final RegistryCache registry;
    private final AuditBatchWriter audit;

    private final Metrics metrics;
    private final FailureThrottle throttle;

    ClientSecretAuthenticator(RegistryCache registry, AuditBatchWriter audit, Metrics metrics, FailureThrottle throttle) {
        this.registry = registry;
        this.audit = audit;
        this.metrics = metrics;
        this.throttle = throttle;
    }

    /**
     * @param endpoint the endpoint's name in audit records ({@code token}, {@code introspect}, {@code revoke})
     */
    AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params, String endpoint) {
        Optional<String> authorization = request.authorization();
        Optional<String> bodyId = params.single("client_id");
        Optional<String> bodySecret = params.single("client_secret");
        Attempt attempt;
        if (authorization.isPresent()) {
            // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
            if (bodySecret.isPresent()) {
                throw OAuthError.invalidRequest("use one client authentication method: the Authorization header or client_secret in the body, not both");
            }
            ClientSecretBasic basic = parseBasic(authorization.get());
            String clientId = basic.getClientID().getValue();
            if (bodyId.isPresent() && !bodyId.get().equals(clientId)) {
                throw OAuthError.invalidRequest("client_id in the body differs from the one in the Authorization header");
            }
            attempt = new Attempt(clientId, basic.getClientSecret().getValue(), ClientAuthMethod.CLIENT_SECRET_BASIC);
        } else if (bodySecret.isPresent()) {
            if (bodyId.isEmpty()) throw OAuthError.invalidRequest("client_secret was sent without client_id");
            attempt = new Attempt(bodyId.get(), bodySecret.get(), ClientAuthMethod.CLIENT_SECRET_POST);
        } else {
            throw OAuthError.invalidClient("client authentication is required: HTTP Basic or client_id and client_secret in the body", false);
        }
        try {
            return verify(attempt, request);
        } catch (Refused refused) {
            failed(refused.clientId, endpoint, refused.reason, request);
            throw refused.error;
        }
    }

    /** The app must not be blocked (the token endpoint's {@code unauthorized_client}, RFC 6749 §5.2). */
    void activeClientCheck(AuthenticatedClient client, ClientRequest request, String endpoint) {
        if (!client.entry().client().isActive()) {
            failed(client.clientId(), endpoint, "app_blocked", request);
            throw OAuthError.unauthorizedClient("this app is blocked; ask an administrator to unblock it");
        }
    }

    /**
     * A failed client authentication, counted by reason and, when it names an app-shaped client_id, written to
     * the audit log with the caller's address. Failures that could be guesses count towards throttling; a blocked
     * app or a wrong method is not a guess.
     */
    void failed(String clientId, String endpoint, String reason, ClientRequest request) {
        metrics.authenticationFailed(reason);
        if (!reason.equals("app_blocked") && !reason.equals("wrong_method")) throttle.failed(clientId, request.address());
        if (clientId != null) audit.authenticationFailed(clientId, endpoint, reason, request.remoteHost().get());
    }

    private record Attempt(String clientId, String secret, ClientAuthMethod method) {
        boolean basic() {
            return method == ClientAuthMethod.CLIENT_SECRET_BASIC;
        }
    }

    /** A refusal with the reason recorded in the audit log. */
    private static final class Refused extends Exception {
        final String reason;
        final OAuthError error;
        /** The id the attempt named, or {@code null} when no app could have it. */
        final String clientId;

        Refused(String reason, OAuthError error, String clientId) {
            super(reason, null, false, false);
            this.reason = reason;
            this.error = error;
            this.clientId = clientId;
        }
    }

    private static ClientSecretBasic parseBasic(String header) {
        if (header.length() > 2 * MAX_SECRET_LENGTH) {
            throw OAuthError.invalidClient("the Authorization header is too long", true);
        }
        try {
            // Nimbus form-decodes id and secret as RFC 6749 §2.3.1 requires
            return ClientSecretBasic.parse(header);
        } catch (ParseException e) {
            throw OAuthError.invalidClient("the Authorization header is not valid HTTP Basic credentials", e.getMessage(), true);
        }
    }

    private AuthenticatedClient verify(Attempt attempt, ClientRequest request) throws Refused {
        String clientId = attempt.clientId();
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH || Text.hasControlCharacter(clientId)) {
            // no app can have this id; not audited, it would only fill the log with what the caller made up
            throw new Refused("malformed_client_id", OAuthError.invalidClient("client authentication failed", attempt.basic()),
                    null);
        }
        OAuthError.limitCheck(throttle.admit(clientId, request.address()));
        if (attempt.secret().length() > MAX_SECRET_LENGTH) throw refused("secret_too_long", attempt);
        Optional<ClientEntry> entry = registry.client(clientId);
        // compare against a dummy digest for an unknown app, so that timing does not tell which ids exist
        String secretId = ClientSecrets.matching(attempt.secret(), entry.map(ClientEntry::secrets).orElse(NO_SECRETS));
        if (entry.isEmpty()) throw refused("unknown_client", attempt);
        if (secretId == null) throw refused("wrong_secret", attempt);
        ClientAuthMethod registered = entry.get().client().authMethod();
        // RFC 6749 §2.3.1: Basic and body carry the same secret; only an app without secrets is refused here
        if (!registered.usesSecret()) {
            // only a caller who knows the secret learns how the app is registered
            throw new Refused("wrong_method", OAuthError.invalidClient(
                    "this app is registered for " + registered.value() + ", not " + attempt.method().value(), attempt.basic()),
                    clientId);
        }
        return new AuthenticatedClient(entry.get(), secretId);
    }

    /** The same answer for every reason, so a caller cannot tell an unknown app from a wrong secret. */
    private static Refused refused(String reason, Attempt attempt) {
        return new Refused(reason, OAuthError.invalidClient("client authentication failed",
                "client_id=" + attempt.clientId() + " " + reason, attempt.basic()), attempt.clientId());
    }
}
