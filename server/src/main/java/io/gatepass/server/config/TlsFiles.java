package io.gatepass.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the server's own certificate and private key are: PEM files, checked for changes every {@code checkEvery}
 * and reloaded without a restart (a renewed certificate simply replaces the files).
 *
 * @param certificate the certificate chain in PEM, the server's certificate first
 * @param privateKey  its private key in PEM (PKCS#8 {@code BEGIN PRIVATE KEY}, or PKCS#1 {@code BEGIN RSA PRIVATE KEY})
 * @param checkEvery  how often the files are compared with what is loaded
 */
public record TlsFiles(Path certificate, Path privateKey, Duration checkEvery) {
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(10);

    public TlsFiles {
        Objects.requireNonNull(certificate, "--tls-cert / GATEPASS_TLS_CERT");
        Objects.requireNonNull(privateKey, "--tls-key / GATEPASS_TLS_KEY");
        if (checkEvery == null) checkEvery = DEFAULT_CHECK_EVERY;
        if (checkEvery.isNegative() || checkEvery.isZero()) throw new IllegalArgumentException("the TLS file check interval must be positive");
        readable("--tls-cert / GATEPASS_TLS_CERT", certificate);
        readable("--tls-key / GATEPASS_TLS_KEY", privateKey);
    }

    /** Both or neither: {@code null} when neither is set. */
    public static TlsFiles of(Path certificate, Path privateKey) {
        if (certificate == null && privateKey == null) return null;
        if (certificate == null || privateKey == null) {
            throw new IllegalArgumentException("--tls-cert / GATEPASS_TLS_CERT and --tls-key / GATEPASS_TLS_KEY go together: set both, "
                    + "or neither to serve plain HTTP");
        }
        return new TlsFiles(certificate, privateKey, DEFAULT_CHECK_EVERY);
    }

    private static void readable(String setting, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + " names no readable file: " + file);
        }
    }
}
