package io.gatepass.server.keys;

import java.time.Duration;
import java.util.Objects;

/**
 * When keys rotate.
 *
 * @param propagationDelay how long a new key is published before it signs, so that resource servers caching the
 *                         JWKS (for at most {@code max-age}, 5 minutes) know it before the first token it signs
 * @param rotationPeriod   how long a key signs before the next one takes over on its own
 * @param defaultAlg       the {@code signing_alg} of an API that names none
 */
public record KeyPolicy(Duration propagationDelay, Duration rotationPeriod, String defaultAlg) {
    public static final KeyPolicy DEFAULT = new KeyPolicy(Duration.ofHours(1), Duration.ofDays(90), "RS256");

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
        if (defaultAlg == null) defaultAlg = "RS256";
        if (!SigningKeys.SUPPORTED.contains(defaultAlg)) {
            throw new IllegalArgumentException("--default-signing-alg / GATEPASS_DEFAULT_SIGNING_ALG must be one of "
                    + SigningKeys.SUPPORTED.stream().sorted().toList() + ", not " + defaultAlg);
        }
    }

    public KeyPolicy(Duration propagationDelay, Duration rotationPeriod) {
        this(propagationDelay, rotationPeriod, "RS256");
    }
}
