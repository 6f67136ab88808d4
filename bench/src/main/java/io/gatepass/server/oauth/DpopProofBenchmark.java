package io.gatepass.server.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.codec.Json;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The token endpoint's whole DPoP check of one ES256 proof (RFC 9449 §4.3: parse, header, key, signature, htm,
 * htu, iat, the jti replay list) without HTTP, a new proof each time as clients send them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DpopProofBenchmark {
    private static final String TOKEN_URL = "http://localhost:8080/oauth/token";
    private static final int POOL = 200_000;

    @Param({"native", "jdk"})
    public String provider;

    private Path dir;
    private SqlStore store;
    private AuditBatchWriter writer;
    private DpopCheck check;
    private List<String>[] proofs;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("gatepass-bench");
        store = SqlStore.openSqlite(dir);
        Clock clock = Clock.systemUTC();
        writer = new AuditBatchWriter(store, new Json(), clock);
        java.security.Provider chosen = provider.equals("native") ? CryptoProviders.detect().preferred() : null;
        check = new DpopCheck(chosen, store, writer, TOKEN_URL, null, clock);
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ECDSASigner signer = new ECDSASigner(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build();
        proofs = new List[POOL];
        for (int i = 0; i < POOL; i++) {
            SignedJWT proof = new SignedJWT(header, new JWTClaimsSet.Builder().jwtID("p-" + i).claim("htm", "POST")
                    .claim("htu", TOKEN_URL).issueTime(new Date()).build());
            proof.sign(signer);
            proofs[i] = List.of(proof.serialize());
        }
    }

    @Benchmark
    public String checkFreshProof() {
        return check.thumbprint(proofs[next++ % POOL]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchStores.close(writer, store, dir);
    }
}
