package io.gatepass.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * How the app proves who it is at the token endpoint: a client secret (RFC 6749 §2.3.1) or a client assertion
 * signed with its private key ({@code private_key_jwt}, RFC 7523).
 */
public sealed interface ClientAuth permits ClientAuth.Federated, ClientAuth.SecretBasic, ClientAuth.SecretPost,
        ClientAuth.PrivateKeyJwt, ClientAuth.TlsClientAuth {
    String clientId();

    /** Adds the credentials to a token request: form parameters and, for Basic, the Authorization header. */
    void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock);

    /**
     * RFC 8705 §2: the app proves itself with the client certificate of the TLS connection (its HTTP client's
     * {@code SSLContext}, see {@code GatepassTokenSource.Builder.sslContext}); the request names only its client_id.
     * For {@code tls_client_auth} and {@code self_signed_tls_client_auth} apps alike.
     */
    static ClientAuth tlsClientAuth(String clientId) {
        return new TlsClientAuth(clientId);
    }

    record TlsClientAuth(String clientId) implements ClientAuth {
        public TlsClientAuth {
            java.util.Objects.requireNonNull(clientId, "clientId");
        }

        @Override
        public void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock) {
            form.put("client_id", clientId);
        }
    }

    static ClientAuth clientSecretBasic(String clientId, String secret) {
        return new SecretBasic(clientId, secret);
    }

    static ClientAuth clientSecretPost(String clientId, String secret) {
        return new SecretPost(clientId, secret);
    }

    /**
     * @param privateKey an RSA (signs RS256) or EC P-256 (signs ES256) private JWK whose public half is registered,
     *                   with its {@code kid}
     */
    static ClientAuth privateKeyJwt(String clientId, JWK privateKey) {
        return new PrivateKeyJwt(clientId, privateKey);
    }

    /**
     * Workload identity federation: a token the app's own platform issued, read from {@code tokenFile} on every
     * request — a Kubernetes projected service-account token, rotated in place by the kubelet; a file a SPIFFE helper
     * keeps fresh — for a {@code federated_jwt} app.
     */
    static ClientAuth federatedTokenFile(String clientId, java.nio.file.Path tokenFile) {
        Objects.requireNonNull(tokenFile, "tokenFile");
        return new Federated(clientId, () -> {
            try {
                return java.nio.file.Files.readString(tokenFile).strip();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the platform token at " + tokenFile, e);
            }
        });
    }

    /** The same, with the platform token from a supplier (asked on every request: GitHub Actions' OIDC endpoint). */
    static ClientAuth federated(String clientId, java.util.function.Supplier<String> platformToken) {
        return new Federated(clientId, platformToken);
    }

    record Federated(String clientId, java.util.function.Supplier<String> platformToken) implements ClientAuth {
        public Federated {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(platformToken, "platformToken");
        }

        @Override
        public void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock) {
            // the token's sub is the workload on its platform; client_id names the app
            form.put("client_id", clientId);
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", platformToken.get());
        }

        @Override
        public String toString() {
            return "Federated[clientId=" + clientId + "]";
        }
    }

    record SecretBasic(String clientId, String secret) implements ClientAuth {
        public SecretBasic {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock) {
            // RFC 6749 §2.3.1: id and secret are form-encoded before Base64
            String pair = encode(clientId) + ":" + encode(secret);
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "SecretBasic[clientId=" + clientId + "]";
        }
    }

    record SecretPost(String clientId, String secret) implements ClientAuth {
        public SecretPost {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock) {
            form.put("client_id", clientId);
            form.put("client_secret", secret);
        }

        @Override
        public String toString() {
            return "SecretPost[clientId=" + clientId + "]";
        }
    }

    record PrivateKeyJwt(String clientId, JWK privateKey) implements ClientAuth {
        /** Short: an assertion is a proof for one request (Gatepass accepts at most five minutes). */
        private static final long LIFETIME_SECONDS = 60;

        public PrivateKeyJwt {
            Objects.requireNonNull(clientId, "clientId");
            if (!Objects.requireNonNull(privateKey, "privateKey").isPrivate()) {
                throw new IllegalArgumentException("privateKey must hold the private key");
            }
            if (!(privateKey instanceof RSAKey) && !(privateKey instanceof ECKey)) {
                throw new IllegalArgumentException("privateKey must be an RSA or EC key");
            }
        }

        @Override
        public void apply(Map<String, String> form, Map<String, String> headers, URI tokenEndpoint, Clock clock) {
            Instant now = clock.instant();
            // OIDC Core §9: iss = sub = client_id, aud = the token endpoint, a unique jti, a short exp
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                    .audience(tokenEndpoint.toString()).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(LIFETIME_SECONDS))).jwtID(UUID.randomUUID().toString())
                    .build();
            try {
                JWSSigner signer;
                JWSAlgorithm alg;
                if (privateKey instanceof RSAKey rsa) {
                    signer = new RSASSASigner(rsa);
                    alg = JWSAlgorithm.RS256;
                } else {
                    signer = new ECDSASigner((ECKey) privateKey);
                    alg = JWSAlgorithm.ES256;
                }
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(privateKey.getKeyID())
                        .type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(signer);
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", jwt.serialize());
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the client assertion", e);
            }
        }

        @Override
        public String toString() {
            return "PrivateKeyJwt[clientId=" + clientId + ", kid=" + privateKey.getKeyID() + "]";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
