package io.gatepass.spring;

import io.gatepass.client.AccessToken;
import io.gatepass.client.GatepassTokenSource;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * An {@link OAuth2AuthorizedClientProvider} for the Gatepass registration whose tokens come from the client SDK's
 * token source (its cache, renewal ahead of expiry and retries) instead of Spring's own client credentials client.
 * It answers {@code null} for other registrations and while the authorized client still holds the source's token,
 * as Spring's providers do when nothing needs to change.
 */
public final class GatepassAuthorizedClientProvider implements OAuth2AuthorizedClientProvider {
    private final String registrationId;
    private final GatepassTokenSource tokens;

    public GatepassAuthorizedClientProvider(String registrationId, GatepassTokenSource tokens) {
        this.registrationId = registrationId;
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthorizedClient authorize(OAuth2AuthorizationContext context) {
        if (!registrationId.equals(context.getClientRegistration().getRegistrationId())) return null;
        AccessToken token = tokens.token();
        OAuth2AuthorizedClient current = context.getAuthorizedClient();
        if (current != null && current.getAccessToken().getTokenValue().equals(token.value())) return null;
        Set<String> scopes = token.scope().isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(token.scope().split(" ")));
        OAuth2AccessToken.TokenType type = token.dpopBound() ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
        Instant now = Instant.now();
        OAuth2AccessToken access = new OAuth2AccessToken(type, token.value(), now.isBefore(token.expiresAt()) ? now : null,
                token.expiresAt(), scopes);
        return new OAuth2AuthorizedClient(context.getClientRegistration(), context.getPrincipal().getName(), access);
    }
}
