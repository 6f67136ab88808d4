package io.gatepass.examples.spring;

import io.gatepass.client.TokenRequestException;
import io.gatepass.spring.GatepassRequestInterceptor;
import java.net.URI;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * What the archiver and the reader do: call the storage API with a {@link RestClient} that carries the starter's
 * interceptor (a cached token, renewed ahead of expiry; on a 401 a new one).
 */
public final class ArchiveCaller {
    private final RestClient archive;
    private final String name;

    ArchiveCaller(RestClient archive, String name) {
        this.archive = archive;
        this.name = name;
    }

    /**
     * The archiver and the reader as Spring apps: no web server of their own, their app's credentials in
     * {@code gatepass.client.*}, the storage API's address in {@code archive.url}.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class Application {
        @Bean
        ArchiveCaller archiveCaller(GatepassRequestInterceptor gatepass, @Value("${archive.url}") URI url,
                                    @Value("${spring.application.name}") String name) {
            return new ArchiveCaller(RestClient.builder().baseUrl(url.toString()).requestInterceptor(gatepass).build(), name);
        }
    }

    /** Writes one entry; the storage API's status (401 too when Gatepass gives the app no token). */
    public int write() {
        return status(() -> archive.post().body(name + " at " + Instant.now()).retrieve().toBodilessEntity().getStatusCode().value());
    }

    /** Reads the archive; the status. */
    public int read() {
        return status(() -> archive.get().retrieve().toBodilessEntity().getStatusCode().value());
    }

    private static int status(java.util.function.IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (RestClientResponseException e) {
            return e.getStatusCode().value();
        } catch (TokenRequestException e) {
            // refused at the token endpoint (blocked, removed) is, to this service, not being allowed in
            return e.retryable() ? 503 : 401;
        } catch (ResourceAccessException e) {
            return 503;
        }
    }
}
