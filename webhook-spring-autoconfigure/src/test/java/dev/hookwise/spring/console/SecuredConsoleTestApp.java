package dev.hookwise.spring.console;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** The same application behind Spring Security: operators log in (form or HTTP Basic) and hold role OPS. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSecurity
@Import(ConsoleTestApp.class)
class SecuredConsoleTestApp {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a.requestMatchers(HttpMethod.POST, "/stripe/webhook").permitAll()
                        .anyRequest().hasRole("OPS"))
                .csrf(c -> c.ignoringRequestMatchers("/stripe/webhook")) // Stripe signs; it cannot send a CSRF token
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(User.withUsername(ConsoleTestApp.USER).password("{noop}" + ConsoleTestApp.PASSWORD).roles("OPS").build());
    }
}
