package io.gatepass.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatepass.server.domain.Api;
import io.gatepass.server.keys.KeyRing;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JWT access-token format: signed with the key of the API's {@code signing_alg}, header {@code typ} from its
 * {@code token_profile}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2">RFC 9068 §2</a>
 */
public final class AccessTokenMinter implements AccessTokenFormat {
    /** RFC 9068 §2.1: "typ" MUST be "at+jwt". */
    public static final JOSEObjectType AT_JWT = io.gatepass.jose.AccessTokenCheck.AT_JWT;
    /** An API's {@code token_profile} may ask for the plain JWT type instead (same claims). */
    public static final JOSEObjectType PLAIN_JWT = JOSEObjectType.JWT;

    private final String issuer;
    private final KeyRing keys;
    private final RevocationList revocations;
    private final Clock clock;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Header> headers = new ConcurrentHashMap<>();
    private final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

    public AccessTokenMinter(String issuer, KeyRing keys, RevocationList revocations, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
    }

    /**
     * Signed with the key of the API's algorithm; the header {@code typ} is {@code at+jwt}, or {@code JWT} for an API
     * whose verifiers want it. The scope claim is left out when no scope is granted.
     */
    @Override
    public MintedToken mint(Claims token) {
        Api api = token.api();
        String alg = api.signingAlg();
        String type = api.tokenProfile().type();
        KeyRing.ActiveKey key = keys.current(alg)
                .orElseThrow(() -> new IllegalStateException("no signing key for " + alg + " (the API's signing_alg)"));
        Instant now = issueTime(token.clientId(), token.subject());
        long iat = now.getEpochSecond();
        long exp = iat + token.lifetimeSeconds();
        if (token.notAfter() != null) exp = Math.min(exp, token.notAfter().getEpochSecond());
        int lifetimeSeconds = (int) Math.max(1, exp - iat);
        String jti = newJti();
        // RFC 9068 §2.2; sub is the client for client credentials, the original app for an exchanged token. Built
        // straight to JSON and Base64url: the header is the same for every token of a key, and a claims object
        // round trip costs more than the JSON. Custom claims first: never a name set below (the admin API refuses
        // them), and if one were, the token's own value would win.
        Map<String, Object> claims = new LinkedHashMap<>(token.extra());
        claims.put("iss", issuer);
        claims.put("sub", token.subject());
        claims.put("aud", api.identifier());
        claims.put("client_id", token.clientId());
        claims.put("iat", iat);
        claims.put("nbf", iat);
        claims.put("exp", iat + lifetimeSeconds);
        claims.put("jti", jti);
        if (!token.scope().isEmpty()) claims.put("scope", token.scope());
        if (token.actor() != null) claims.put("act", token.actor());
        if (token.binding().bound()) claims.put("cnf", token.binding().confirmation());
        Header header = headers.computeIfAbsent(type.equals(AT_JWT.getType()) ? key.kid() : key.kid() + " " + type,
                name -> Header.of(key, type));
        String signingInput;
        try {
            signingInput = header.encoded() + "." + base64.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the claims cannot be written", e);
        }
        String signature;
        try {
            byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
            signature = SigningQueue.sign(() -> key.signer().sign(header.header(), input).toString());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with kid " + key.kid() + " failed", e);
        }
        return new MintedToken(signingInput + "." + signature, jti, lifetimeSeconds,
                Instant.ofEpochSecond(iat + lifetimeSeconds));
    }

    /** The JWS header of a key's tokens (RFC 9068 §2.1), and its Base64url form, made once per key and type. */
    private record Header(JWSHeader header, String encoded) {
        static Header of(KeyRing.ActiveKey key, String type) {
            JOSEObjectType typ = type.equals(AT_JWT.getType()) ? AT_JWT : new JOSEObjectType(type);
            JWSHeader header = new JWSHeader.Builder(key.alg()).type(typ).keyID(key.kid()).build();
            return new Header(header, header.toBase64URL().toString());
        }
    }

    /**
     * Now, unless the app's tokens were voided earlier in this very second: {@code iat} has whole seconds, so a
     * token issued now would fall under that cutoff. It then carries the next second, at most one second ahead,
     * well inside any verifier's clock skew.
     */
    private Instant issueTime(String clientId, String subject) {
        Instant now = clock.instant();
        long cutoff = revocations.issuedBefore(clientId);
        if (!subject.equals(clientId)) cutoff = Math.max(cutoff, revocations.issuedBefore(subject));
        return cutoff > now.getEpochSecond() ? Instant.ofEpochSecond(cutoff) : now;
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return base64.encodeToString(bytes);
    }
}
