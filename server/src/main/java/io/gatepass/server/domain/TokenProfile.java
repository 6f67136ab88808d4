package io.gatepass.server.domain;

import java.util.Optional;

/**
 * The JOSE header {@code typ} of an API's access tokens; the claims are the same either way.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.1">RFC 9068 §2.1</a>
 */
public enum TokenProfile {
    /** {@code typ: at+jwt}, as RFC 9068 §2.1 requires; the default. */
    RFC9068("rfc9068", "at+jwt"),
    /**
     * {@code typ: JWT}, for verifiers that accept nothing else (Spring Security's default decoder, as Auth0 offers
     * per API). Such a token can be mistaken for another kind of JWT by a verifier that does not check {@code aud}.
     */
    JWT("jwt", "JWT");

    private final String value;
    private final String type;

    TokenProfile(String value, String type) {
        this.value = value;
        this.type = type;
    }

    /** The name in the management API. */
    public String value() {
        return value;
    }

    /** The header's {@code typ}. */
    public String type() {
        return type;
    }

    public static Optional<TokenProfile> parse(String value) {
        for (TokenProfile profile : values()) {
            if (profile.value.equals(value)) return Optional.of(profile);
        }
        return Optional.empty();
    }
}
