package io.gatepass.server.oauth;

import io.gatepass.jose.DpopProofs;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9449 §8 server nonces without state: a nonce is the number of a time window and a MAC of it under a key
 * every node derives from the master key, so any node accepts any node's nonce of the current or the previous
 * window, and nothing is stored or shared. A nonce proves that a proof was made after the server said it — so a
 * proof made in advance on a machine the attacker borrowed for a while is worthless later.
 */
final class DpopNonces implements DpopProofs.Nonces {
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private record Current(long window, String nonce) {
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private volatile Current current = new Current(-1, null);

    DpopNonces(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    /** The nonce to hand out now (one per window, the same on every node). */
    String current() {
        long window = window();
        Current held = current;
        if (held.window() != window) {
            held = new Current(window, nonce(window));
            current = held;
        }
        return held.nonce();
    }

    @Override
    public boolean accepts(String nonce) {
        if (nonce == null || nonce.length() > 64) return false;
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (given.length != Long.BYTES + MAC_BYTES) return false;
        long window = ByteBuffer.wrap(given).getLong();
        long now = window();
        if (window != now && window != now - 1) return false;
        return MessageDigest.isEqual(given, bytes(window));
    }

    private long window() {
        return clock.millis() / WINDOW.toMillis();
    }

    private String nonce(long window) {
        return ENCODER.encodeToString(bytes(window));
    }

    private byte[] bytes(long window) {
        byte[] number = ByteBuffer.allocate(Long.BYTES).putLong(window).array();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(number);
            return ByteBuffer.allocate(Long.BYTES + MAC_BYTES).put(number).put(tag, 0, MAC_BYTES).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
