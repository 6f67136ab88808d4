package io.gatepass.server.keys;

import java.time.Duration;
import java.util.Objects;

/**
 * When keys rotate.
 *
 * @param propagationDelay how long a new key is published before it signs, so that resource servers caching the
 *                         JWKS (for at most {@code max-age}, 5 minutes) know it before the first token it signs
 * @param rotationPeriod   how long a key signs before the next one takes over on its own
 */
public record KeyPolicy(Duration propagationDelay, Duration rotationPeriod) {
    public static final KeyPolicy DEFAULT = new KeyPolicy(Duration.ofHours(1), Duration.ofDays(90));

    public KeyPolicy {
        Objects.requireNonNull(propagationDelay, "propagation delay");
        Objects.requireNonNull(rotationPeriod, "rotation period");
        if (propagationDelay.isNegative()) {
            throw new IllegalArgumentException("--key-propagation-delay / GATEPASS_KEY_PROPAGATION_DELAY must not be negative");
        }
        if (rotationPeriod.compareTo(propagationDelay.plusHours(1)) < 0) {
            throw new IllegalArgumentException("--key-rotation-period / GATEPASS_KEY_ROTATION_PERIOD must be at least "
                    + "the propagation delay plus one hour");
        }
    }
}
