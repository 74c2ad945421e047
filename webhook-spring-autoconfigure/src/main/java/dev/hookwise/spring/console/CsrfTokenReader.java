package dev.hookwise.spring.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Reads the CSRF token Spring Security's {@code CsrfFilter} left on the request, so the page can send
 * it back with its {@code POST}s. Loaded only when Spring Security is present.
 */
final class CsrfTokenReader {
    private CsrfTokenReader() {}

    /** The header name and the token's value, when CSRF protection is on for this request. */
    static Optional<String[]> headerAndToken(HttpServletRequest request) {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            return Optional.of(new String[] {token.getHeaderName(), token.getToken()});
        }
        return Optional.empty();
    }
}
