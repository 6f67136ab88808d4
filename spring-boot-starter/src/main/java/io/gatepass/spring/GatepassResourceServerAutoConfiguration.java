package io.gatepass.spring;

import io.gatepass.verifier.GatepassVerifier;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A resource server with {@code gatepass.issuer-uri} and {@code gatepass.audience}: a {@link JwtDecoder} that
 * accepts Gatepass tokens for this API (so Spring Security's {@code oauth2ResourceServer().jwt()} takes them, with
 * {@code scope} as {@code SCOPE_…} authorities, and Spring Security's own DPoP filter hands it
 * {@code Authorization: DPoP} tokens), and — when the app defines no {@link SecurityFilterChain} — one that asks
 * every request for a token. Runs before Spring Boot's own resource server and web security set-ups, which then back off.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration"})
@ConditionalOnClass(JwtDecoder.class)
@ConditionalOnProperty(prefix = "gatepass", name = {"issuer-uri", "audience"})
@EnableConfigurationProperties(GatepassProperties.class)
public class GatepassResourceServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    public GatepassJwtDecoder gatepassJwtDecoder(GatepassProperties properties,
                                                 ObjectProvider<GatepassVerifierCustomizer> customizers) {
        return new GatepassJwtDecoder(() -> {
            GatepassVerifier.Builder builder = GatepassVerifier.builder().issuer(properties.issuerUri())
                    .audience(properties.audience()).acceptJwtProfile(properties.acceptJwtProfile());
            Duration poll = properties.revocationPollInterval();
            if (poll != null && !poll.isZero()) builder.pollRevocations(poll);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        });
    }

    /** Every request needs a token when the app says nothing else; stateless, no CSRF (no cookies to forge with). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    @EnableWebSecurity
    static class DefaultFilterChain {
        @Bean
        SecurityFilterChain gatepassSecurityFilterChain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .csrf(AbstractHttpConfigurer::disable)
                    .build();
        }
    }
}
