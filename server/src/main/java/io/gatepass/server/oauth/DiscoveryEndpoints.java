package io.gatepass.server.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatepass.server.codec.Json;
import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.keys.KeyRing;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What clients and resource servers discover: the RFC 8414 metadata document, the same document with the members
 * OpenID Provider metadata requires (for clients that look only there, such as Spring Security's
 * {@code ClientRegistrations}), and the JWKS. The documents are built once.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2</a>
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata">OpenID Connect Discovery §3</a>
 */
public final class DiscoveryEndpoints {
    /** How long resource servers may cache the JWKS. */
    static final int JWKS_MAX_AGE_SECONDS = 300;
    static final int METADATA_MAX_AGE_SECONDS = 3600;

    private final byte[] metadata;
    private final byte[] openidConfiguration;
    private final KeyRing keys;
    private final int jwksMaxAge;

    /**
     * @param publicUrl where clients reach this server (the issuer unless {@code --public-url} says otherwise)
     * @param mtls      whether requests can come with client certificates (RFC 8705), here or through a proxy
     */
    public DiscoveryEndpoints(String issuer, String publicUrl, boolean mtls, KeyRing keys, Json json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("token_endpoint", publicUrl + "/oauth/token");
        doc.put("jwks_uri", publicUrl + "/.well-known/jwks.json");
        doc.put("introspection_endpoint", publicUrl + "/oauth/introspect");
        doc.put("revocation_endpoint", publicUrl + "/oauth/revoke");
        doc.put("registration_endpoint", publicUrl + "/oauth/register"); // RFC 7591 §3, RFC 8414 §2
        // not in RFC 8414; named like its members so that the verifier SDK can discover it
        doc.put("revocation_feed_endpoint", publicUrl + "/oauth/revocations");
        doc.put("grant_types_supported", List.of("client_credentials", TokenEndpoint.TOKEN_EXCHANGE, TokenEndpoint.JWT_BEARER));
        // RFC 8414 §2 makes this member REQUIRED; without an authorization endpoint no response type is supported
        doc.put("response_types_supported", List.of());
        List<String> authMethods = Arrays.stream(ClientAuthMethod.values()).filter(method -> mtls || !method.usesCertificate())
                .map(ClientAuthMethod::value).toList();
        doc.put("token_endpoint_auth_methods_supported", authMethods);
        List<String> assertionAlgs = ClientKeys.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
        doc.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        doc.put("introspection_endpoint_auth_methods_supported", authMethods);
        doc.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        doc.put("revocation_endpoint_auth_methods_supported", authMethods);
        doc.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        doc.put("access_token_signing_alg_values_supported", keys.algorithms());
        doc.put("dpop_signing_alg_values_supported", DpopCheck.algorithmNames()); // RFC 9449 §5.1
        if (mtls) {
            // RFC 8705 §3.3 and §5: the same endpoints take mutual TLS, so the aliases are the endpoints themselves
            doc.put("tls_client_certificate_bound_access_tokens", true);
            doc.put("mtls_endpoint_aliases", Map.of("token_endpoint", publicUrl + "/oauth/token",
                    "introspection_endpoint", publicUrl + "/oauth/introspect", "revocation_endpoint", publicUrl + "/oauth/revoke"));
        }
        this.metadata = json.write(doc);
        // OpenID Connect Discovery §3 REQUIRED members. sub is the client_id, the same for every API: "public".
        // No ID token is ever issued (no response type is supported); the algorithms are the ones this server's
        // keys sign with, as they would be for one.
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", keys.algorithms());
        this.openidConfiguration = json.write(doc);
        this.keys = keys;
        // a cached JWKS must expire well before a new key starts signing (keys.md)
        this.jwksMaxAge = (int) Math.min(JWKS_MAX_AGE_SECONDS, keys.policy().propagationDelay().toSeconds() / 2);
    }

    public void metadata(ServerRequest req, ServerResponse res) {
        sendDocument(res, metadata);
    }

    public void openidConfiguration(ServerRequest req, ServerResponse res) {
        sendDocument(res, openidConfiguration);
    }

    private static void sendDocument(ServerResponse res, byte[] document) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + METADATA_MAX_AGE_SECONDS);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(document);
    }

    public void jwks(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + jwksMaxAge);
        // application/json, as Auth0 and Keycloak send it: some JWKS clients refuse application/jwk-set+json
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(keys.jwksJson()); // built once per key-ring change, not per request
    }
}
