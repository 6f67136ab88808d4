package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.gatepass.server.Assertions.AppKey;
import io.gatepass.server.TestServer.Response;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an attacker sent in the first hour: each answered with a clear 4xx in our own words. */
class InputHardeningTest extends SharedServer {
    /** Words that would tell an attacker which library parses, or how. */
    private static final List<String> INTERNALS = List.of("StreamReadConstraints", "DeserializationFeature",
            "com.fasterxml", "jackson", "JsonNode", "Exception", "getMax");




    @Test
    void jsonWhenTooDeepTooLongOrTrailingThenOurWordsOnEveryEndpoint() {
        Map<String, String> bodies = Map.of(
                "nested deeper than 16 levels", "{\"a\":" + "[".repeat(17) + "]".repeat(17) + "}",
                "longer than 32 characters", "{\"token_lifetime\":" + "1".repeat(2000) + "}",
                "more after the JSON value", "{\"a\":\"b\"} {\"c\":1}",
                "appears twice", "{\"a\":\"b\",\"a\":\"c\"}",
                "ends before", "{\"a\":",
                "not valid JSON (line 1, column", "{\"a\" 1}");
        bodies.forEach((expected, body) -> {
            String token = gatepass.send("POST", "/oauth/token", "application/json", body)
                    .assertOAuthError(400, "invalid_request");
            String clients = gatepass.admin("POST", "/admin/clients", body).assertProblem(400);
            String apis = gatepass.admin("POST", "/admin/apis", body).assertProblem(400);
            for (String detail : List.of(token, clients, apis)) {
                assertThat(detail).as(body).contains(expected);
                assertThat(INTERNALS).as(detail).noneMatch(detail::contains);
            }
        });
    }

    @Test
    void auditWhenDatesOutOfRangeThen400NotOverflow() {
        for (String query : List.of("since=-999999999-01-01T00:00:00Z", "until=%2B999999999-12-31T23:59:59Z",
                "since=1969-12-31T23:59:59Z", "until=10000-01-01T00:00:00Z")) {
            String detail = gatepass.admin("GET", "/admin/audit?" + query, null).assertProblem(400);
            assertThat(detail).as(query).contains(query.substring(0, query.indexOf('=')));
        }
        assertThat(gatepass.admin("GET", "/admin/audit?since=2026-01-01T00:00:00Z&until=9999-12-31T23:59:59Z", null)
                .status()).isEqualTo(200);
    }

    @Test
    void jwksWhenRsaKeyWeakThen400NamingWhy() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        BigInteger n = ((RSAPublicKey) generator.generateKeyPair().getPublic()).getModulus();
        BigInteger twoTo2048Minus1 = BigInteger.ONE.shiftLeft(2048).subtract(BigInteger.ONE);
        Map<String, String[]> weak = Map.of(
                "e=1", new String[] {b64(n), b64(BigInteger.ONE), "\"e\""},
                "e=65536", new String[] {b64(n), b64(BigInteger.valueOf(65536)), "\"e\""},
                "e=2^256+1", new String[] {b64(n), b64(BigInteger.ONE.shiftLeft(256).add(BigInteger.ONE)), "\"e\""},
                "even n", new String[] {b64(n.add(BigInteger.ONE)), b64(BigInteger.valueOf(65537)), "\"n\""},
                "2^2048-1", new String[] {b64(twoTo2048Minus1), b64(BigInteger.valueOf(65537)), "\"n\""},
                "n with a small factor", new String[] {b64(multipleOfThree(n)), b64(BigInteger.valueOf(65537)), "\"n\""},
                "1024 bits", new String[] {b64(BigInteger.probablePrime(512, new java.util.Random(1))
                        .multiply(BigInteger.probablePrime(512, new java.util.Random(2)))), b64(BigInteger.valueOf(65537)), "bits"});
        weak.forEach((what, key) -> {
            String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" + key[0] + "\",\"e\":\"" + key[1] + "\"}]}";
            String detail = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"weak\","
                    + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}").assertProblem(400);
            assertThat(detail).as(what).contains("jwks", key[2]);
        });
        String sound = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" + b64(n) + "\",\"e\":\"AQAB\"}]}";
        assertThat(gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"sound\","
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + sound + "}").status()).isEqualTo(201);
    }

    @Test
    void jwksWhenEcPointNotOnCurveThen400() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        Map<String, Object> jwk = new java.util.LinkedHashMap<>(key.publicJwk().toJSONObject());
        byte[] y = new Base64URL((String) jwk.get("y")).decode();
        y[y.length - 1] ^= 1;
        jwk.put("y", Base64URL.encode(y).toString());
        String detail = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"off-curve\","
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":["
                + TestServer.JSON.writeValueAsString(jwk) + "]}}").assertProblem(400);
        assertThat(detail).contains("jwks", "curve");
    }

    @Test
    void assertionWhenCritEmptyOrUnknownThenInvalidClient() throws Exception {
        String apiId = gatepass.createApi(TestServer.uniqueIdentifier(), "read");
        String identifier = gatepass.admin("GET", "/admin/apis/" + apiId, null).json().get("identifier").asText();
        AppKey key = Assertions.generate("ES256", "k1");
        String clientId = PrivateKeyJwtTest.keyApp(gatepass, apiId, key);
        String tokenEndpoint = gatepass.issuer() + "/oauth/token";

        for (String crit : List.of("[]", "[\"exp\"]")) {
            // written by hand: Nimbus leaves an empty crit out when it serialises a header
            String header = Base64URL.encode("{\"alg\":\"ES256\",\"kid\":\"k1\",\"exp\":1,\"crit\":" + crit + "}").toString();
            String payload = Base64URL.encode(Assertions.claims(clientId, tokenEndpoint, Instant.now()).build().toString())
                    .toString();
            Base64URL signature = new com.nimbusds.jose.crypto.ECDSASigner((com.nimbusds.jose.jwk.ECKey) key.jwk())
                    .sign(new JWSHeader(com.nimbusds.jose.JWSAlgorithm.ES256),
                            (header + "." + payload).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String assertion = header + "." + payload + "." + signature;
            Response response = PrivateKeyJwtTest.tokenWithAssertion(gatepass, assertion, identifier);
            assertThat(response.assertOAuthError(401, "invalid_client")).as(crit).contains("crit");
        }
    }

    /** An odd 2048-bit number divisible by 3, near {@code n}. */
    private static BigInteger multipleOfThree(BigInteger n) {
        BigInteger m = n.subtract(n.mod(BigInteger.valueOf(3)));
        return m.testBit(0) ? m : m.subtract(BigInteger.valueOf(3));
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        return Base64URL.encode(bytes).toString();
    }
}
