package dev.hookwise.spring.console;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console application behind the Spring Security configuration a user writes without knowing
 * about webhooks: every request needs a login, CSRF protection on, no exception for Stripe. Only the
 * starter's own chain can let a webhook through. Also serves an application endpoint, {@code /orders}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSecurity
@Import(ConsoleTestApp.class)
class StrictSecurityTestApp {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a.anyRequest().hasRole("OPS"))
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(User.withUsername(ConsoleTestApp.USER).password("{noop}" + ConsoleTestApp.PASSWORD).roles("OPS").build());
    }

    @Bean
    RouterFunction<ServerResponse> orders() {
        return RouterFunctions.route()
                .GET("/orders", request -> ServerResponse.ok().body("orders"))
                .POST("/orders", request -> ServerResponse.ok().body("created"))
                .build();
    }
}
