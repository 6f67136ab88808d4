package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import io.gatepass.server.TestServer.App;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A token obtained with a standard OAuth client library verifies with a standard JWT processor configured only
 * from the metadata document: no Gatepass code on either side.
 */
class StandardClientInteropTest extends SharedServer {
    private static final String IDENTIFIER = "https://storage.example.com";

    static App writer;

    @BeforeAll
    static void start() {
        String apiId = gatepass.createApi(IDENTIFIER, "archive:read", "archive:write");
        writer = gatepass.createApp("writer", null);
        gatepass.grant(writer.clientId(), apiId, "archive:write");
    }


    @Test
    void tokenWhenRequestedByNimbusSdkThenVerifiedByNimbusProcessorFromMetadata() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer()));

        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(writer.clientId()), new Secret(writer.secret())),
                new ClientCredentialsGrant(), new Scope("archive:write"), List.of(URI.create(IDENTIFIER)), null);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        AccessToken accessToken = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(accessToken.getScope()).isEqualTo(new Scope("archive:write"));

        JWTClaimsSet claims = resourceServerProcessor(metadata).process(accessToken.getValue(), null);

        assertThat(claims.getSubject()).isEqualTo(writer.clientId());
        assertThat(claims.getStringClaim("scope")).isEqualTo("archive:write");
    }

    @Test
    void tokenWhenForOtherAudienceThenStandardProcessorRejectsIt() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer()));
        String adminToken = gatepass.adminToken();

        assertThatThrownBy(() -> resourceServerProcessor(metadata).process(adminToken, null))
                .isInstanceOf(BadJOSEException.class);
    }

    @Test
    void errorWhenRequestedByNimbusSdkThenParsedAsStandardErrorResponse() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer()));
        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretPost(new ClientID(writer.clientId()), new Secret(writer.secret())),
                new ClientCredentialsGrant(), new Scope("archive:read"), List.of(URI.create(IDENTIFIER)), null);

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isFalse();
        TokenErrorResponse error = response.toErrorResponse();
        // the secret in the body authenticates (RFC 6749 §2.3.1); the scope is not granted
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_scope");
        assertThat(error.getErrorObject().getHTTPStatusCode()).isEqualTo(400);
    }

    private static DefaultJWTProcessor<SecurityContext> resourceServerProcessor(AuthorizationServerMetadata metadata)
            throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(IDENTIFIER,
                new JWTClaimsSet.Builder().issuer(metadata.getIssuer().getValue()).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id")));
        return processor;
    }
}
