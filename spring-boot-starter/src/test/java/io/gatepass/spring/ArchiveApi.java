package io.gatepass.spring;

import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The brief's archive storage API as a Spring Boot app with the starter and nothing else: no security
 * configuration of its own (the starter's filter chain asks every request for a token), scopes checked per method.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(ArchiveApi.Archives.class)
public class ArchiveApi {

    @RestController
    static class Archives {
        @GetMapping("/archives")
        @PreAuthorize("hasAuthority('SCOPE_archive:read')")
        Map<String, Object> list(@AuthenticationPrincipal Jwt caller) {
            return Map.of("archives", java.util.List.of("2026-11.tar"), "caller", caller.getClaimAsString("client_id"));
        }

        @PostMapping("/archives")
        @PreAuthorize("hasAuthority('SCOPE_archive:write')")
        Map<String, Object> store(@AuthenticationPrincipal Jwt caller) {
            return Map.of("stored", true, "caller", caller.getClaimAsString("client_id"));
        }
    }
}
