package io.gatepass.server.http;

import io.gatepass.server.config.TlsFiles;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS from PEM files, and their reload: the files are read every {@link TlsFiles#checkEvery()}; when their
 * content changed and the new pair is sound (the key parses and belongs to the certificate) the web server's TLS
 * is swapped in place, for new connections. A half-written or mismatched pair is refused with a warning and the
 * loaded one stays; the next check tries again.
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsFiles files;
    private final ScheduledExecutorService watcher;
    private byte[] loadedDigest;
    private byte[] refusedDigest;

    private final boolean askForClientCertificates;

    private ServerTls(TlsFiles files, boolean askForClientCertificates, byte[] loadedDigest) {
        this.files = files;
        this.askForClientCertificates = askForClientCertificates;
        this.loadedDigest = loadedDigest;
        this.watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatepass-tls-watch").daemon().factory());
    }

    /**
     * The TLS to start with; refuses to start on files that do not make a sound pair, naming the setting.
     *
     * @param askForClientCertificates RFC 8705: ask callers for a certificate without requiring one, and take any
     *                                 (the handshake proves the caller holds its key; whether the certificate is an
     *                                 app's is decided per app: a trusted CA's, or one of its registered keys)
     */
    public static Tls initial(TlsFiles files, boolean askForClientCertificates) {
        try {
            return load(read(files), askForClientCertificates);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("--tls-cert / --tls-key: " + e.getMessage(), e);
        }
    }

    /** Starts watching the files for the running server. */
    public static ServerTls watch(TlsFiles files, boolean askForClientCertificates, WebServer server) {
        byte[] digest;
        try {
            digest = digest(read(files));
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-cert / --tls-key: " + e.getMessage(), e);
        }
        ServerTls tls = new ServerTls(files, askForClientCertificates, digest);
        long every = files.checkEvery().toMillis();
        tls.watcher.scheduleWithFixedDelay(() -> tls.check(server), every, every, TimeUnit.MILLISECONDS);
        return tls;
    }

    private record Pem(byte[] certificate, byte[] key) {
    }

    private static Pem read(TlsFiles files) throws IOException {
        return new Pem(Files.readAllBytes(files.certificate()), Files.readAllBytes(files.privateKey()));
    }

    private void check(WebServer server) {
        try {
            Pem pem = read(files);
            byte[] digest = digest(pem);
            if (Arrays.equals(digest, loadedDigest) || Arrays.equals(digest, refusedDigest)) return;
            Tls tls;
            try {
                tls = load(pem, askForClientCertificates);
            } catch (GeneralSecurityException | RuntimeException e) {
                refusedDigest = digest;
                LOG.warn("the TLS files changed but do not make a sound pair; still serving the certificate loaded "
                        + "before ({})", e.getMessage());
                return;
            }
            server.reloadTls(tls);
            loadedDigest = digest;
            LOG.info("reloaded the TLS certificate from {}", files.certificate());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not check the TLS files: {}", e.toString());
        }
    }

    private static Tls load(Pem pem, boolean askForClientCertificates) throws GeneralSecurityException {
        Keys keys = Keys.builder()
                .pem(p -> p.key(Resource.create("tls key", pem.key())).certChain(Resource.create("tls certificate", pem.certificate())))
                .build();
        PrivateKey key = keys.privateKey().orElseThrow(() -> new GeneralSecurityException("no private key in the key file"));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in the certificate file");
        belongTogether(key, chain.get(0));
        var builder = Tls.builder().privateKey(key).privateKeyCertChain(chain);
        if (askForClientCertificates) builder.clientAuth(TlsClientAuth.OPTIONAL).trustAll(true);
        return builder.build();
    }

    /** Signs with the key and verifies with the certificate: a renewed certificate with the old key is caught here. */
    private static void belongTogether(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm());
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate");
        }
    }

    private static byte[] digest(Pem pem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(pem.certificate());
            sha.update(pem.key());
            return sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
