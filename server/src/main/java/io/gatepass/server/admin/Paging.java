package io.gatepass.server.admin;

import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/** {@code ?limit=&offset=} of list calls, bounded, and the other query parameters of list calls. */
record Paging(int limit, int offset) {
    static Paging from(ServerRequest request) {
        int limit = intParam(request, "limit", 1, HttpLimits.MAX_PAGE_SIZE).orElse(HttpLimits.DEFAULT_PAGE_SIZE);
        int offset = intParam(request, "offset", 0, 10_000_000).orElse(0);
        return new Paging(limit, offset);
    }

    /** An optional single query parameter of at most {@code maxLength} printable characters. */
    static Optional<String> stringParam(ServerRequest request, String name, int maxLength) {
        var values = request.query().all(name, java.util.List::of);
        if (values.isEmpty() || values.get(0).isEmpty()) return Optional.empty();
        if (values.size() > 1) throw Problem.badField(name, "is repeated");
        String value = values.get(0);
        if (value.length() > maxLength || Text.hasControlCharacter(value)) {
            throw Problem.badField(name, "must be at most " + maxLength + " characters without control characters");
        }
        return Optional.of(value);
    }

    private static Optional<Integer> intParam(ServerRequest request, String name, int min, int max) {
        var values = request.query().all(name, java.util.List::of);
        if (values.isEmpty()) return Optional.empty();
        if (values.size() > 1) throw Problem.badField(name, "is repeated");
        try {
            int value = Integer.parseInt(values.get(0));
            if (value < min || value > max) throw Problem.badField(name, "must be between " + min + " and " + max);
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw Problem.badField(name, "must be a whole number");
        }
    }
}
