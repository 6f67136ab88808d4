package io.gatepass.server.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import io.gatepass.server.store.RegistryCache.SecretDigest;
import java.util.List;

/**
 * Client secrets: 256 random bits, URL-safe, prefixed {@code gps_} so that secret scanners can spot a leak.
 * Only the SHA-256 digest is stored. With that much entropy a slow password hash adds nothing but latency.
 */
public final class ClientSecrets {
    public static final String PREFIX = "gps_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private ClientSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A random alphanumeric id (client ids, secret ids, API ids); {@code length} characters. */
    public static String randomId(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
        return new String(chars);
    }

    public static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The id of the stored secret that {@code presented} matches, or {@code null}. Every digest is compared, each
     * in constant time, so the answer takes as long whichever one matches.
     */
    public static String matching(String presented, List<SecretDigest> secrets) {
        byte[] candidate = digest(presented);
        String match = null;
        for (SecretDigest secret : secrets) {
            if (MessageDigest.isEqual(candidate, secret.digest())) match = secret.id();
        }
        return match;
    }
}
