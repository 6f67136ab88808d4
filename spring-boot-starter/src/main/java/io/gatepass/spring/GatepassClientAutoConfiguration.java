package io.gatepass.spring;

import com.nimbusds.jose.jwk.JWK;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.DpopKey;
import io.gatepass.client.GatepassTokenSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.text.ParseException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * A caller with {@code gatepass.issuer-uri} and {@code gatepass.client.client-id} (and a secret, a key file or a
 * platform token file): the client SDK's {@link GatepassTokenSource} (cached tokens, renewed ahead of expiry,
 * retries), a {@code RestClient} interceptor and a {@code WebClient} filter that put its token on a request, and an
 * {@link OAuth2AuthorizedClientManager} for Spring Security's own OAuth2 client interceptors. Nothing is added to
 * every client of the app: a token goes only where the app puts the interceptor.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "gatepass.client", name = "client-id")
@EnableConfigurationProperties(GatepassProperties.class)
public class GatepassClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GatepassTokenSource gatepassTokenSource(GatepassProperties properties) {
        GatepassProperties.Client client = properties.client();
        URI issuer = properties.issuerUri();
        if (issuer == null) {
            throw new GatepassPropertiesException("gatepass.client.client-id is set but gatepass.issuer-uri is not",
                    "Set gatepass.issuer-uri to the Gatepass server, e.g. https://auth.example.com.");
        }
        GatepassTokenSource.Builder builder = GatepassTokenSource.builder().issuer(issuer).auth(auth(client))
                .refreshAhead(client.refreshAhead()).scopes(client.scopes().toArray(String[]::new));
        if (client.audience() != null) builder.audience(client.audience());
        if (client.dpop()) builder.dpop(DpopKey.generate());
        return builder.build();
    }

    private static ClientAuth auth(GatepassProperties.Client client) {
        int given = (client.clientSecret() != null ? 1 : 0) + (client.privateKeyFile() != null ? 1 : 0)
                + (client.federatedTokenFile() != null ? 1 : 0);
        if (given != 1) {
            throw new GatepassPropertiesException("gatepass.client needs one way to authenticate the app: " + given + " of "
                    + "gatepass.client.client-secret, gatepass.client.private-key-file and gatepass.client.federated-token-file are set",
                    "Set exactly one of them: the app's secret, a file with its private JWK, or a file its platform keeps a token in.");
        }
        if (client.clientSecret() != null) return ClientAuth.clientSecretBasic(client.clientId(), client.clientSecret());
        if (client.federatedTokenFile() != null) return ClientAuth.federatedTokenFile(client.clientId(), client.federatedTokenFile());
        JWK key;
        try {
            key = JWK.parse(Files.readString(client.privateKeyFile()));
        } catch (IOException e) {
            throw new GatepassPropertiesException("gatepass.client.private-key-file cannot be read: " + e.getMessage(),
                    "Point it at a readable file holding the app's private JWK.");
        } catch (ParseException e) {
            // never the file's text: it is a private key
            throw new GatepassPropertiesException("gatepass.client.private-key-file is not a JWK",
                    "Write the app's private key there as a JWK: a JSON object with kty, kid and the private part.");
        }
        if (!key.isPrivate()) {
            throw new GatepassPropertiesException("gatepass.client.private-key-file holds a public key",
                    "Put the app's private JWK there; Gatepass holds only the public half.");
        }
        return ClientAuth.privateKeyJwt(client.clientId(), key);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
    static class RestClientSupport {
        @Bean
        @ConditionalOnMissingBean
        GatepassRequestInterceptor gatepassRequestInterceptor(GatepassTokenSource tokens) {
            return new GatepassRequestInterceptor(tokens);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.ExchangeFilterFunction")
    static class WebClientSupport {
        @Bean
        @ConditionalOnMissingBean
        GatepassExchangeFilter gatepassExchangeFilter(GatepassTokenSource tokens) {
            return new GatepassExchangeFilter(tokens);
        }
    }

    /**
     * Spring Security's OAuth2 client, backed by the token source: {@code OAuth2ClientHttpRequestInterceptor} and
     * the like get the app's token under the registration id {@code gatepass.client.registration-id}. Its
     * registration is not a bean, so Spring Boot sets up no login for it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OAuth2AuthorizedClientManager.class)
    static class AuthorizedClientSupport {
        @Bean
        @ConditionalOnMissingBean
        OAuth2AuthorizedClientManager gatepassAuthorizedClientManager(GatepassProperties properties, GatepassTokenSource tokens) {
            GatepassProperties.Client client = properties.client();
            ClientRegistration registration = ClientRegistration.withRegistrationId(client.registrationId())
                    .clientId(client.clientId())
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    // what Spring shows of it; tokens come from the token source, which reads the real endpoint
                    // from the server's metadata
                    .tokenUri(properties.issuerUri().toString().replaceAll("/+$", "") + "/oauth/token")
                    .scope(client.scopes())
                    .build();
            InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
            AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
                    registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
            manager.setAuthorizedClientProvider(new GatepassAuthorizedClientProvider(client.registrationId(), tokens));
            return manager;
        }
    }
}
