package io.gatepass.examples.spring;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The storage API: {@code POST /archive} needs {@code archive:write}, {@code GET /archive} {@code archive:read}.
 * Its whole security set-up is {@code gatepass.issuer-uri} and {@code gatepass.audience}: the starter asks every
 * request for a Gatepass token for this API, and the scopes become {@code SCOPE_…} authorities.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(StorageApplication.Archive.class)
public class StorageApplication {
    public static final String WRITE = "archive:write";
    public static final String READ = "archive:read";

    @RestController
    public static class Archive {
        private final List<String> entries = new CopyOnWriteArrayList<>();

        @PostMapping("/archive")
        @ResponseStatus(HttpStatus.CREATED)
        @PreAuthorize("hasAuthority('SCOPE_archive:write')")
        public void store(@AuthenticationPrincipal Jwt caller, @RequestBody(required = false) String entry) {
            entries.add(caller.getClaimAsString("client_id") + ": " + (entry == null ? Instant.now() : entry));
        }

        @GetMapping("/archive")
        @PreAuthorize("hasAuthority('SCOPE_archive:read')")
        public List<String> list() {
            return List.copyOf(entries);
        }

        public List<String> entries() {
            return List.copyOf(entries);
        }
    }
}
