package dev.hookwise.spring.console;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/** The part of {@link ConsoleAccessCheck} that touches Spring Security: loaded only when it is present. */
final class SpringSecurityProbe {
    private SpringSecurityProbe() {}

    static ConsoleAccessCheck.Verdict verdict(ListableBeanFactory beans, List<String[]> probes) {
        Map<String, WebInvocationPrivilegeEvaluator> evaluators = beans.getBeansOfType(WebInvocationPrivilegeEvaluator.class);
        if (evaluators.isEmpty()) {
            return new ConsoleAccessCheck.Verdict(false, "Spring Security is on the classpath, but its web security is not"
                    + " configured (no SecurityFilterChain, no @EnableWebSecurity)");
        }
        // The same anonymous user Spring Security's AnonymousAuthenticationFilter puts in the context.
        Authentication anonymous = new AnonymousAuthenticationToken("hookwise-console-check", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
        for (String[] probe : probes) {
            for (WebInvocationPrivilegeEvaluator evaluator : evaluators.values()) {
                if (evaluator.isAllowed(null, probe[1], probe[0], anonymous)) {
                    return new ConsoleAccessCheck.Verdict(false, "Spring Security lets an anonymous user " + probe[0] + " "
                            + probe[1] + " (no SecurityFilterChain matches it, or the one that does permits it)");
                }
            }
        }
        return new ConsoleAccessCheck.Verdict(true, "Spring Security refuses anonymous users the page, its JSON and replay");
    }
}
