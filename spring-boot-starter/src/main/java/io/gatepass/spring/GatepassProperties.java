package io.gatepass.spring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code gatepass.*} properties.
 *
 * @param issuerUri               the Gatepass server ({@code iss} of its tokens); a resource server needs it and
 *                                {@code audience}, a caller it and {@code client.client-id}
 * @param audience                this API's identifier: only tokens for it are accepted
 * @param acceptJwtProfile        also accept {@code typ: JWT} tokens (an API with {@code token_profile: jwt});
 *                                off by default, so only RFC 9068 {@code at+jwt} tokens pass
 * @param revocationPollInterval  how often the revocation feed is polled: a blocked app or a revoked token is
 *                                refused within it ({@code 0}: not polled)
 * @param client                  the app this service calls other APIs as
 */
@ConfigurationProperties("gatepass")
public record GatepassProperties(URI issuerUri, String audience, @DefaultValue("false") boolean acceptJwtProfile,
                                 @DefaultValue("5s") Duration revocationPollInterval, @DefaultValue Client client) {

    /**
     * The caller side ({@code gatepass.client.*}): one app, one audience.
     *
     * @param clientId           the app's client_id
     * @param clientSecret       its secret ({@code client_secret_basic})
     * @param privateKeyFile     or a file holding its private JWK ({@code private_key_jwt}), with its {@code kid}
     * @param federatedTokenFile or a file its platform keeps a token in (Kubernetes, SPIFFE: {@code federated_jwt})
     * @param audience           the API to get tokens for (needed when the app is granted on several and has no
     *                           {@code default_audience})
     * @param scopes             the scopes to ask for (none: all granted)
     * @param refreshAhead       how long before expiry a token is renewed
     * @param dpop               bind tokens to a key of this process (RFC 9449): each call then carries a proof
     * @param registrationId     the {@code ClientRegistration} id Spring Security's OAuth2 client knows it by
     */
    public record Client(String clientId, String clientSecret, Path privateKeyFile, Path federatedTokenFile,
                         String audience, List<String> scopes, @DefaultValue("60s") Duration refreshAhead,
                         @DefaultValue("false") boolean dpop, @DefaultValue("gatepass") String registrationId) {
        public Client {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }
}
