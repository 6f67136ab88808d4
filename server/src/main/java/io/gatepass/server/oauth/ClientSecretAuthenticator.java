package io.gatepass.server.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import io.gatepass.server.store.RegistryCache.SecretDigest;
import io.gatepass.server.store.RegistryCache;
import java.util.List;
import java.util.Optional;

/**
 * Apps that authenticate by client secret: {@code client_secret_basic} (RFC 6749 §2.3.1, the Authorization header
 * with form-encoded id and secret) and {@code client_secret_post} (the same two in a form or JSON body). The two
 * transports carry the same credential (RFC 6749 §2.3.1), so an app registered for either may use either; its
 * registered method is only its preferred one. An app registered for its own key never authenticates by secret.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
public final class ClientSecretAuthenticator implements ClientAuthenticationMethod {
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MAX_CLIENT_ID_LENGTH = 128;
    private static final List<SecretDigest> NO_SECRETS = List.of(new SecretDigest("none", new byte[32]));

    private final RegistryCache registry;
    private final FailureThrottle throttle;

    public ClientSecretAuthenticator(RegistryCache registry, FailureThrottle throttle) {
        this.registry = registry;
        this.throttle = throttle;
    }

    @Override
    public String credentials() {
        return "a client secret (HTTP Basic, or client_id and client_secret in the body)";
    }

    @Override
    public boolean presentIn(ClientRequest request, OAuthParameters params) {
        return request.authorization().isPresent() || params.single("client_secret").isPresent();
    }

    @Override
    public AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params) throws ClientAuthenticationRefused {
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
            attempt = new Attempt(clientId, basic.getClientSecret().getValue(), true);
        } else {
            if (bodyId.isEmpty()) throw OAuthError.invalidRequest("client_secret was sent without client_id");
            attempt = new Attempt(bodyId.get(), bodySecret.get(), false);
        }
        return verify(attempt, request);
    }

    private record Attempt(String clientId, String secret, boolean basic) {
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

    private AuthenticatedClient verify(Attempt attempt, ClientRequest request) throws ClientAuthenticationRefused {
        String clientId = attempt.clientId();
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH || Text.hasControlCharacter(clientId)) {
            // no app can have this id; not audited, it would only fill the log with what the caller made up
            throw new ClientAuthenticationRefused("malformed_client_id", "client authentication failed", null, attempt.basic());
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
            throw new ClientAuthenticationRefused("wrong_method", "this app is registered for " + registered.value()
                    + ", not a client secret", clientId, attempt.basic());
        }
        return new AuthenticatedClient(entry.get(), secretId);
    }

    /** The same answer for every reason, so a caller cannot tell an unknown app from a wrong secret. */
    private static ClientAuthenticationRefused refused(String reason, Attempt attempt) {
        return new ClientAuthenticationRefused(reason, "client authentication failed", attempt.clientId(), attempt.basic());
    }
}
