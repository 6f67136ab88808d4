package io.gatepass.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.domain.SigningKey;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.keys.KeyEncryption;
import io.gatepass.server.keys.SigningKeys;
import java.security.Provider;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The ceiling of token minting: signing (and verifying) one access token of the server's shape, per algorithm and
 * provider ({@code native} = ACCP/AWS-LC where it loads, {@code jdk} = the JDK's providers), on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigningBenchmark {
    @Param({"RS256", "PS256", "ES256", "EdDSA"})
    public String alg;

    @Param({"native", "jdk"})
    public String provider;

    private SigningKeys.Loaded key;
    private JWSHeader header;
    private JWTClaimsSet claims;
    private SignedJWT signed;

    @Setup
    public void setUp() throws Exception {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        KeyEncryption encryption = new KeyEncryption(new SecretKeySpec(master, "AES"));
        Provider chosen = provider.equals("native") ? CryptoProviders.detect().preferred() : null;
        if (provider.equals("native") && chosen == null) throw new IllegalStateException("no native provider here");
        SigningKey stored = SigningKeys.generate(alg, Instant.now(), Instant.now(), encryption, chosen);
        JWK jwk = JWK.parse(encryption.decrypt(stored.kid(), stored.alg(), stored.privateJwk()));
        key = SigningKeys.load(stored, jwk, chosen);
        header = new JWSHeader.Builder(key.alg()).type(new JOSEObjectType("at+jwt")).keyID(stored.kid()).build();
        Date now = new Date();
        claims = new JWTClaimsSet.Builder().issuer("http://localhost:8080").subject("bench-client")
                .audience("https://api.example.com").claim("client_id", "bench-client").claim("scope", "read write")
                .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 3_600_000))
                .jwtID("AAAAAAAAAAAAAAAAAAAAAA").build();
        signed = SignedJWT.parse(sign());
    }

    @Benchmark
    public String sign() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(key.signer());
        return jwt.serialize();
    }

    @Benchmark
    public boolean verify() throws JOSEException, ParseException {
        return signed.verify(key.verifier());
    }
}
