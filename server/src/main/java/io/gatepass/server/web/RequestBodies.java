package io.gatepass.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads request bodies within {@link HttpLimits#MAX_BODY_BYTES}. */
public final class RequestBodies {
    /**
     * What is read and thrown away of a body over the limit before the 413 closes the connection: closing with unread
     * data makes the TCP stack reset the connection, and a client still writing its body then loses the answer. The
     * transport refuses more than this (1 MiB) anyway.
     */
    private static final int DRAIN_LIMIT = 1024 * 1024;

    private RequestBodies() {
    }

    /** The body, or an empty array when there is none; over the limit is a 413 {@link HttpRejection}. */
    public static byte[] read(ServerRequest request) {
        Optional<String> declared = request.headers().first(HeaderNames.CONTENT_LENGTH);
        long length = -1;
        if (declared.isPresent()) {
            try {
                length = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                throw new HttpRejection(400, "Content-Length is not a number");
            }
            if (length > HttpLimits.MAX_BODY_BYTES) {
                if (length <= DRAIN_LIMIT) drain(request);
                throw tooLarge();
            }
        }
        if (!request.content().hasEntity()) return new byte[0];
        ReadDeadlines deadlines = request.context().get(ReadDeadlines.class).orElse(null);
        ReadDeadlines.Watch watch = deadlines == null ? null : deadlines.watch();
        // not closed on failure: closing reads the rest, and the rest of a broken body may never come
        try {
            InputStream in = request.content().inputStream();
            // with a Content-Length, a buffer of that size and no more: asking for the limit would allocate 8 KiB
            // for every 100-byte token request (a quarter of the token path's allocation, by JFR)
            byte[] body = in.readNBytes(length >= 0 ? (int) length : HttpLimits.MAX_BODY_BYTES + 1);
            if (length >= 0 && body.length < length) {
                throw HttpRejection.closing(400, "the request body is malformed: its chunked encoding or Content-Length "
                        + "does not match what was sent");
            }
            if (body.length > HttpLimits.MAX_BODY_BYTES) {
                discard(in, DRAIN_LIMIT - body.length);
                throw tooLarge();
            }
            in.close();
            return body;
        } catch (HttpRejection e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a chunk size that is no number, chunk data longer than its size, a body shorter than its
            // Content-Length, a connection closed or timed out mid-body: the framing cannot be trusted
            if (watch != null && watch.expired()) {
                throw HttpRejection.closing(408, "the request body did not arrive within "
                        + deadlines.deadline().toSeconds() + " seconds");
            }
            throw HttpRejection.closing(400, "the request body is malformed: its chunked encoding or Content-Length "
                    + "does not match what was sent");
        } finally {
            if (watch != null) watch.close();
        }
    }

    /** Reads the declared body and throws it away, within the body deadline; a broken body just ends it. */
    private static void drain(ServerRequest request) {
        if (!request.content().hasEntity()) return;
        ReadDeadlines deadlines = request.context().get(ReadDeadlines.class).orElse(null);
        ReadDeadlines.Watch watch = deadlines == null ? null : deadlines.watch();
        try {
            discard(request.content().inputStream(), DRAIN_LIMIT);
        } catch (RuntimeException e) {
            // the connection is closed after the 413 anyway
        } finally {
            if (watch != null) watch.close();
        }
    }

    private static void discard(InputStream in, long max) {
        byte[] buffer = new byte[8192];
        long left = max;
        try {
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) left -= n;
        } catch (IOException | RuntimeException e) {
            // as above
        }
    }

    private static HttpRejection tooLarge() {
        return HttpRejection.closing(413, "the request body exceeds " + HttpLimits.MAX_BODY_BYTES + " bytes");
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
