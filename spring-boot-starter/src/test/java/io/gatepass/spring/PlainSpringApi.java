package io.gatepass.spring;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * docs/spring.md's lines for an API that does not add the starter: plain Spring Security, configured with
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code audiences}, and a decoder that takes
 * RFC 9068 {@code at+jwt} tokens (Spring Security 6.5 and 7 alike). The tests run it with the starter's auto-configuration
 * excluded.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {"io.gatepass.spring.GatepassResourceServerAutoConfiguration",
        "io.gatepass.spring.GatepassClientAutoConfiguration"})
@Import(PlainSpringApi.Hello.class)
public class PlainSpringApi {

    // docs/spring.md: "Without the starter"
    @Bean
    JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
                          @Value("${spring.security.oauth2.resourceserver.jwt.audiences}") String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).validateType(false).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(
                new JwtIssuerValidator(issuer),
                new JwtTypeValidator("at+jwt", "application/at+jwt"),
                new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(audience)))));
        return decoder;
    }

    @RestController
    static class Hello {
        @GetMapping("/hello")
        Map<String, Object> hello(@AuthenticationPrincipal Jwt caller) {
            return Map.of("caller", caller.getClaimAsString("client_id"));
        }
    }
}
