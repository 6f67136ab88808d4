package io.gatepass.examples;

import io.gatepass.client.GatepassTokenSource;
import io.gatepass.client.TokenRequestException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * A service that calls the storage API with its own app's tokens: the archiver writes, the reader reads. Both are
 * this class; what each may do is decided by its grant in Gatepass, not here.
 */
public final class ArchiveClient {
    private final String name;
    private final GatepassTokenSource tokens;
    private final URI archive;
    private final HttpClient http = HttpClient.newHttpClient();

    public ArchiveClient(String name, GatepassTokenSource tokens, URI archive) {
        this.name = name;
        this.tokens = tokens;
        this.archive = archive;
    }

    /** Writes one entry; returns the storage service's status (401 as well when Gatepass gives the app no token). */
    public int write() {
        return call(HttpRequest.newBuilder(archive).POST(HttpRequest.BodyPublishers.ofString(name + " at " + Instant.now())));
    }

    /** Reads the archive; returns the status. */
    public int read() {
        return call(HttpRequest.newBuilder(archive).GET());
    }

    private int call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(tokens.authorize(request).build(), HttpResponse.BodyHandlers.ofString());
            // a 401 can mean the app's tokens were revoked: the next call asks for a new one (and learns if it is blocked)
            if (response.statusCode() == 401) tokens.invalidate();
            return response.statusCode();
        } catch (TokenRequestException e) {
            // refused at the token endpoint (blocked, removed) is, to this service, not being allowed in
            return e.retryable() ? 503 : 401;
        } catch (IOException e) {
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
    }
}
