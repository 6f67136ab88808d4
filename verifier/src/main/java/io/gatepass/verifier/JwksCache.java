package io.gatepass.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatepass.jose.Ed25519Jca;
import io.gatepass.jose.RefreshingJwks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's public keys as verifiers by {@code kid} and algorithm: a {@link RefreshingJwks} of the server's JWKS,
 * kept for as long as its {@code Cache-Control: max-age} says (1 second to 1 hour) and fetched again when a token
 * names an unknown {@code kid} — after a key rotation — at most once per {@code minRefetch}.
 */
final class JwksCache {
    private final HttpClient http;
    private final URI jwksUri;
    private final RefreshingJwks<Map<String, JWSVerifier>> keys;

    JwksCache(HttpClient http, URI jwksUri, Clock clock, Duration minRefetch) {
        this.http = http;
        this.jwksUri = jwksUri;
        RefreshingJwks.Policy policy = new RefreshingJwks.Policy(Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(1), minRefetch);
        // a failure keeps the keys had before: the next token tries again after minRefetch
        this.keys = new RefreshingJwks<>(this::fetch, (verifiers, key) -> key == null || verifiers.containsKey(key), policy,
                clock, failure -> { });
    }

    /** The verifier for this kid and algorithm, if the server publishes such a key. */
    Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        String key = kid + " " + alg.getName();
        try {
            return Optional.ofNullable(keys.keys(key).get(key));
        } catch (RefreshingJwks.Unavailable e) {
            return Optional.empty();
        }
    }

    private RefreshingJwks.Fetched<Map<String, JWSVerifier>> fetch() throws RefreshingJwks.Unavailable {
        HttpRequest request = HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RefreshingJwks.Unavailable("the JWKS could not be fetched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefreshingJwks.Unavailable("interrupted");
        }
        if (response.statusCode() != 200) throw new RefreshingJwks.Unavailable("JWKS answered HTTP " + response.statusCode());
        JWKSet set;
        try {
            set = JWKSet.parse(response.body());
        } catch (ParseException e) {
            throw new RefreshingJwks.Unavailable("JWKS is not a JWK Set");
        }
        Map<String, JWSVerifier> verifiers = new HashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk.getKeyID() == null || jwk.getAlgorithm() == null) continue; // Gatepass publishes both
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) continue;
            JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            verifierFor(jwk, alg).ifPresent(v -> verifiers.put(jwk.getKeyID() + " " + alg.getName(), v));
        }
        return new RefreshingJwks.Fetched<>(Map.copyOf(verifiers), response.headers().firstValue("Cache-Control").orElse(""));
    }

    /** The key's own algorithm only: a token may not choose another (no "alg swap"). */
    private static Optional<JWSVerifier> verifierFor(JWK jwk, JWSAlgorithm alg) {
        try {
            if (jwk instanceof RSAKey rsa && (alg.getName().startsWith("RS") || alg.getName().startsWith("PS"))) {
                return Optional.of(new RSASSAVerifier(rsa));
            }
            if (jwk instanceof ECKey ec && alg.getName().startsWith("ES")) return Optional.of(new ECDSAVerifier(ec));
            if (jwk instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(alg)) return Optional.of(Ed25519Jca.verifier(okp, null));
        } catch (JOSEException | GeneralSecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
