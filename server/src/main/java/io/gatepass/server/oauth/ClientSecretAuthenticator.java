package io.gatepass.server.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.http.Text;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates apps by client secret: {@code client_secret_basic} (RFC 6749 §2.3.1, the Authorization header
 * with form-encoded id and secret) and {@code client_secret_post} (the same two in the body). An app must use the
 * method it registered.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
final class ClientSecretAuthenticator {
    private static final int MAX_SECRET_LENGTH = 512;
    private static final List<byte[]> NO_DIGESTS = List.of(new byte[32]);

    private final RegistryCache registry;

    ClientSecretAuthenticator(RegistryCache registry) {
        this.registry = registry;
    }

    ClientEntry authenticate(Optional<String> authorization, TokenParameters params) {
        Optional<String> bodyId = params.single("client_id");
        Optional<String> bodySecret = params.single("client_secret");
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
            return verify(clientId, basic.getClientSecret().getValue(), ClientAuthMethod.CLIENT_SECRET_BASIC, true);
        }
        if (bodySecret.isPresent()) {
            if (bodyId.isEmpty()) throw OAuthError.invalidRequest("client_secret was sent without client_id");
            return verify(bodyId.get(), bodySecret.get(), ClientAuthMethod.CLIENT_SECRET_POST, false);
        }
        throw OAuthError.invalidClient("client authentication is required: HTTP Basic or client_id and client_secret in the body", false);
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

    private ClientEntry verify(String clientId, String secret, ClientAuthMethod method, boolean basic) {
        if (clientId.isEmpty() || secret.length() > MAX_SECRET_LENGTH || Text.hasControlCharacter(clientId)
                || clientId.length() > 128) {
            throw OAuthError.invalidClient("client authentication failed", basic);
        }
        Optional<ClientEntry> entry = registry.client(clientId);
        // compare against a dummy digest for an unknown app, so that timing does not tell which ids exist
        boolean matches = ClientSecrets.matches(secret, entry.map(ClientEntry::secretDigests).orElse(NO_DIGESTS));
        if (entry.isEmpty() || !matches) {
            throw OAuthError.invalidClient("client authentication failed", "client_id=" + clientId, basic);
        }
        ClientAuthMethod registered = entry.get().client().authMethod();
        if (registered != method) {
            // only a caller who knows the secret learns how the app is registered
            throw OAuthError.invalidClient("this app is registered for " + registered.value() + ", not " + method.value(), basic);
        }
        return entry.get();
    }
}
