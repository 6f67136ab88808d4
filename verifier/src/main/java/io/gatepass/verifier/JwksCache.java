package io.gatepass.verifier;

import io.gatepass.jose.Ed25519Jca;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's public keys, cached for as long as the JWKS answer's {@code Cache-Control: max-age} says (within
 * bounds), and fetched again when a token names an unknown {@code kid} — after a key rotation — at most once per
 * {@code minRefetch}, so that forged kids cannot make the API hammer the server.
 */
final class JwksCache {
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d{1,9})");
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final Duration MAX_TTL = Duration.ofHours(1);

    private record Keys(Map<String, JWSVerifier> byKidAndAlg, long fetchedAt, long expiresAt) {
    }

    private final HttpClient http;
    private final URI jwksUri;
    private final Clock clock;
    private final Duration minRefetch;
    private volatile Keys keys = new Keys(Map.of(), Long.MIN_VALUE / 2, Long.MIN_VALUE / 2);

    JwksCache(HttpClient http, URI jwksUri, Clock clock, Duration minRefetch) {
        this.http = http;
        this.jwksUri = jwksUri;
        this.clock = clock;
        this.minRefetch = minRefetch;
    }

    /** The verifier for this kid and algorithm, if the server publishes such a key. */
    Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        String key = kid + " " + alg.getName();
        Keys current = keys;
        long now = clock.millis();
        if (now < current.expiresAt() && current.byKidAndAlg().containsKey(key)) return Optional.of(current.byKidAndAlg().get(key));
        synchronized (this) {
            current = keys;
            now = clock.millis();
            boolean known = current.byKidAndAlg().containsKey(key);
            boolean expired = now >= current.expiresAt();
            boolean mayRefetch = now - current.fetchedAt() >= minRefetch.toMillis();
            if ((expired || !known) && (mayRefetch || expired)) {
                try {
                    current = fetch(now);
                    keys = current;
                } catch (IOException e) {
                    // keep serving the keys we have; the next request tries again after minRefetch
                    keys = new Keys(current.byKidAndAlg(), now, Math.max(current.expiresAt(), now + minRefetch.toMillis()));
                }
            }
            return Optional.ofNullable(keys.byKidAndAlg().get(key));
        }
    }

    private Keys fetch(long now) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) throw new IOException("JWKS answered HTTP " + response.statusCode());
        JWKSet set;
        try {
            set = JWKSet.parse(response.body());
        } catch (ParseException e) {
            throw new IOException("JWKS is not a JWK Set", e);
        }
        Map<String, JWSVerifier> verifiers = new HashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk.getKeyID() == null || jwk.getAlgorithm() == null) continue; // Gatepass publishes both
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) continue;
            JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            verifierFor(jwk, alg).ifPresent(v -> verifiers.put(jwk.getKeyID() + " " + alg.getName(), v));
        }
        long ttl = ttl(response.headers().firstValue("Cache-Control").orElse(""));
        return new Keys(Map.copyOf(verifiers), now, now + ttl);
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

    private long ttl(String cacheControl) {
        Matcher m = MAX_AGE.matcher(cacheControl);
        long seconds = m.find() ? Long.parseLong(m.group(1)) : DEFAULT_TTL.toSeconds();
        return Math.min(Math.max(seconds, 1), MAX_TTL.toSeconds()) * 1000;
    }
}
