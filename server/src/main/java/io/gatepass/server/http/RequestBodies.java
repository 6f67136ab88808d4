package io.gatepass.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reads request bodies within {@link HttpLimits#MAX_BODY_BYTES}. */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** The body, or an empty array when there is none; over the limit is a 413 {@link HttpRejection}. */
    public static byte[] read(ServerRequest request) {
        Optional<String> declared = request.headers().first(HeaderNames.CONTENT_LENGTH);
        if (declared.isPresent()) {
            long length;
            try {
                length = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                throw new HttpRejection(400, "Content-Length is not a number");
            }
            if (length > HttpLimits.MAX_BODY_BYTES) throw tooLarge();
        }
        if (!request.content().hasEntity()) return new byte[0];
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes(HttpLimits.MAX_BODY_BYTES + 1);
            if (body.length > HttpLimits.MAX_BODY_BYTES) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpRejection tooLarge() {
        return new HttpRejection(413, "the request body exceeds " + HttpLimits.MAX_BODY_BYTES + " bytes");
    }

    /** The media type of the request without parameters, lower case, or "" when absent. */
    public static String mediaType(ServerRequest request) {
        return request.headers().first(HeaderNames.CONTENT_TYPE)
                .map(value -> {
                    int semicolon = value.indexOf(';');
                    return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
                })
                .orElse("");
    }
}
