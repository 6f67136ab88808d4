package io.gatepass.server.domain;

import java.util.Objects;

/** One scope an API understands (RFC 6749 §3.3 scope-token). */
public record ApiScope(String value, String description) {
    public ApiScope {
        Objects.requireNonNull(value, "value");
        description = description == null ? "" : description;
    }
}
