package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * What a first user does with the brief in one hand and the usual client libraries in the other: the brief's JSON
 * request on an app made with defaults, Spring Security's discovery, client and JWT decoder, Nimbus's OpenID
 * metadata parser. No Gatepass code on the client side.
 */
class FirstContactTest extends SharedServer {
    @Test
    void tokenWhenBriefsJsonRequestOnDefaultAppThenIssued() throws Exception {
        GrantedApp setup = gatepass.grantedApp(List.of("archive:write"), "archive:write");
        String body = TestServer.JSON.writeValueAsString(java.util.Map.of("audience", setup.identifier(),
                "grant_type", "client_credentials", "client_id", setup.app().clientId(),
                "client_secret", setup.app().secret()));

        Response response = gatepass.send("POST", "/oauth/token", "application/json", body);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(response.json().get("expires_in").asInt()).isEqualTo(3600);
        SignedJWT jwt = SignedJWT.parse(response.json().get("access_token").asText());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(setup.identifier());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("archive:write");
    }

    @Test
    void tokenWhenPrivateKeyJwtAppSendsASecretThenInvalidClient() throws Exception {
        String apiId = gatepass.createApi(TestServer.uniqueIdentifier(), "read");
        String clientId = PrivateKeyJwtTest.keyApp(gatepass, apiId, Assertions.generate("ES256", "k1"));
        gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", "gps_guess")).assertOAuthError(401, "invalid_client");
    }

    @Test
    void openidConfigurationWhenParsedByNimbusAsOpenIdProviderMetadataThenItParses() throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(gatepass.issuer()));

        assertThat(metadata.getIssuer().getValue()).isEqualTo(gatepass.issuer());
        assertThat(metadata.getTokenEndpointURI().toString()).isEqualTo(gatepass.issuer() + "/oauth/token");
        assertThat(metadata.getSubjectTypes()).extracting(Object::toString).containsExactly("public");
    }

    @Test
    void springClientWhenRegisteredFromIssuerAndAppHasDefaultAudienceThenGetsToken() {
        // Spring's client sends no audience: the app's default_audience names the API
        GrantedApp setup = gatepass.grantedApp(List.of("orders:read"), "orders:read");
        String other = gatepass.createApi(TestServer.uniqueIdentifier(), "x");
        gatepass.grant(setup.app().clientId(), other, "x");
        Response patched = gatepass.admin("PATCH", "/admin/clients/" + setup.app().clientId(),
                "{\"default_audience\":\"" + setup.identifier() + "\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("default_audience").asText()).isEqualTo(setup.identifier());

        OAuth2AccessTokenResponse response = springClientCredentials(setup.app(), "orders:read");

        assertThat(response.getAccessToken().getScopes()).containsExactly("orders:read");
        Jwt jwt = NimbusJwtDecoder.withIssuerLocation(gatepass.issuer())
                .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                        new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(new com.nimbusds.jose.JOSEObjectType("at+jwt"))))
                .build().decode(response.getAccessToken().getTokenValue());
        assertThat(jwt.getAudience()).containsExactly(setup.identifier());
    }

    @Test
    void tokenWhenNoAudienceAndSeveralGrantsWithoutDefaultThenInvalidRequestNamingDefaultAudience() {
        GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        gatepass.grant(setup.app().clientId(), gatepass.createApi(TestServer.uniqueIdentifier(), "b"), "b");

        String description = gatepass.tokenRequest(setup.app()).assertOAuthError(400, "invalid_request");

        assertThat(description).contains("default_audience");
    }

    @Test
    void defaultAudienceWhenNotGrantedOrUnknownThenClearErrors() {
        GrantedApp setup = gatepass.grantedApp(List.of("a"), "a");
        String elsewhere = TestServer.uniqueIdentifier();
        gatepass.createApi(elsewhere, "b");
        gatepass.admin("PATCH", "/admin/clients/" + setup.app().clientId(), "{\"default_audience\":\"" + elsewhere + "\"}");

        assertThat(gatepass.tokenRequest(setup.app()).assertOAuthError(400, "invalid_target")).contains(elsewhere);
        assertThat(gatepass.admin("PATCH", "/admin/clients/" + setup.app().clientId(),
                "{\"default_audience\":\"https://nothing.example.com\"}").assertProblem(400)).contains("default_audience");
        Response cleared = gatepass.admin("PATCH", "/admin/clients/" + setup.app().clientId(), "{\"default_audience\":null}");
        assertThat(cleared.json().get("default_audience").isNull()).isTrue();
        assertThat(gatepass.tokenRequest(setup.app()).status()).isEqualTo(200);
    }

    @Test
    void springJwtDecoderWhenApiTokenProfileJwtThenAcceptedAndWhenRfc9068ThenRefusedByItsDefault() throws Exception {
        GrantedApp setup = gatepass.grantedApp(List.of("read"), "read");
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(gatepass.issuer());
        String rfc9068 = gatepass.token(setup.app().clientId(), setup.app().secret(), setup.identifier(), null);
        assertThat(SignedJWT.parse(rfc9068).getHeader().getType().getType()).isEqualTo("at+jwt");
        // the reason token_profile exists: Spring Security's default decoder accepts typ JWT only
        assertThatThrownBy(() -> decoder.decode(rfc9068)).isInstanceOf(JwtException.class).hasMessageContaining("at+jwt");

        Response patched = gatepass.admin("PATCH", "/admin/apis/" + setup.apiId(), "{\"token_profile\":\"jwt\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("token_profile").asText()).isEqualTo("jwt");
        String plain = gatepass.token(setup.app().clientId(), setup.app().secret(), setup.identifier(), null);

        assertThat(SignedJWT.parse(plain).getHeader().getType().getType()).isEqualTo("JWT");
        Jwt jwt = decoder.decode(plain);
        assertThat(jwt.getSubject()).isEqualTo(setup.app().clientId());
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("read");
        // our own endpoints take it as one of ours
        Response introspected = gatepass.introspect(setup.app(), plain);
        assertThat(introspected.json().get("active").asBoolean()).as(introspected.body()).isTrue();
    }

    @Test
    void tokenProfileWhenUnknownThenProblemNamingTheField() {
        String detail = gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"" + TestServer.uniqueIdentifier()
                + "\",\"name\":\"x\",\"token_profile\":\"jwt+at\"}").assertProblem(400);
        assertThat(detail).contains("token_profile");
    }

    private static OAuth2AccessTokenResponse springClientCredentials(App app, String scope) {
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(gatepass.issuer())
                .registrationId("gatepass")
                .clientId(app.clientId())
                .clientSecret(app.secret())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(scope)
                .build();
        assertThat(registration.getClientAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        return new RestClientClientCredentialsTokenResponseClient()
                .getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration));
    }
}
