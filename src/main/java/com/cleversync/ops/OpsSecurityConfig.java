package com.cleversync.ops;

import com.cleversync.system.Secrets;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.util.ArrayList;
import java.util.List;

/**
 * Actuator security: {@code health} and {@code info} are public; every other endpoint needs HTTP basic with
 * role OPS. Stateless (no session, no cookie), so CSRF protection has nothing to protect and is off.
 * Anything that is not an Actuator endpoint is denied. Commands run without a web server and skip all this.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class OpsSecurityConfig {

    static final String OPS = "OPS";
    static final String VIEWER = "VIEWER";
    private static final Logger log = LoggerFactory.getLogger(OpsSecurityConfig.class);

    @Bean
    @Order(1)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info")).permitAll()
                        .anyRequest().hasRole(OPS))
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        // The error page an endpoint's 400 is rendered by is reached by an ERROR dispatch: let it through.
        http.authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .anyRequest().denyAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    PasswordEncoder opsPasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService opsUsers(OpsProperties properties, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        if (configured(properties.username(), properties.password())) {
            users.add(user(properties.username(), properties.password(), encoder, OPS));
        } else {
            log.warn("no ops credentials (CLEVER_SYNC_OPS_USERNAME / CLEVER_SYNC_OPS_PASSWORD): "
                    + "every Actuator endpoint but health and info answers 401");
        }
        if (configured(properties.viewerUsername(), properties.viewerPassword())) {
            if (properties.viewerUsername().equals(properties.username())) {
                throw new IllegalStateException("clever-sync.ops.viewer-username must differ from clever-sync.ops.username");
            }
            users.add(user(properties.viewerUsername(), properties.viewerPassword(), encoder, VIEWER));
        }
        return new InMemoryUserDetailsManager(users);
    }

    private static boolean configured(String username, String password) {
        return username != null && !username.isBlank() && password != null && !password.isBlank();
    }

    /** A password already encoded ({@code {bcrypt}...}) is used as is; a plain one is hashed at start-up. */
    private static UserDetails user(String username, String password, PasswordEncoder encoder, String role) {
        Secrets.register(password);
        String encoded = password.startsWith("{") ? password : encoder.encode(password);
        return User.withUsername(username).password(encoded).roles(role).build();
    }
}
