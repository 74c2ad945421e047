package dev.hookwise.spring.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * The part of {@link ConsoleAccessCheck} that touches Spring Security: loaded only when it is present.
 *
 * <p>It does at start-up what Spring Security does for a request: takes the first
 * {@link SecurityFilterChain} of the {@link FilterChainProxy} that {@link SecurityFilterChain#matches
 * matches} the request, and asks that chain's {@link AuthorizationFilter}'s
 * {@code AuthorizationManager} whether an anonymous user may go on. (Spring Security's own
 * {@code WebInvocationPrivilegeEvaluator} would be the natural API, but its stand-in request rejects
 * {@code setAttribute}, which the path-pattern matchers of Spring Security 7 call, so it denies every
 * URL: a check built on it would call anything protected.) The request here is a minimal stand-in
 * too: method, path, no context path, no headers, no session, attributes kept in a map.
 */
final class SpringSecurityProbe {
    private SpringSecurityProbe() {}

    static ConsoleAccessCheck.Verdict verdict(ListableBeanFactory beans, List<String[]> probes) {
        Map<String, FilterChainProxy> proxies = beans.getBeansOfType(FilterChainProxy.class);
        if (proxies.isEmpty()) {
            return new ConsoleAccessCheck.Verdict(false, "Spring Security is on the classpath, but its web security is not"
                    + " configured (no SecurityFilterChain, no @EnableWebSecurity)");
        }
        // The same anonymous user Spring Security's AnonymousAuthenticationFilter puts in the context.
        Authentication anonymous = new AnonymousAuthenticationToken("hookwise-console-check", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
        for (String[] probe : probes) {
            for (FilterChainProxy proxy : proxies.values()) {
                String refusal = anonymousRefused(proxy, probe[0], probe[1], anonymous);
                if (refusal != null) {
                    return new ConsoleAccessCheck.Verdict(false, "Spring Security lets an anonymous user " + probe[0] + " "
                            + probe[1] + " (" + refusal + ")");
                }
            }
        }
        return new ConsoleAccessCheck.Verdict(true, "Spring Security refuses anonymous users the page, its JSON and replay");
    }

    /** Null when the proxy refuses an anonymous user this request; otherwise why it does not. */
    private static @Nullable String anonymousRefused(FilterChainProxy proxy, String method, String path, Authentication anonymous) {
        for (SecurityFilterChain chain : proxy.getFilterChains()) {
            if (!chain.matches(request(method, path))) {
                continue;
            }
            for (Filter filter : chain.getFilters()) {
                if (filter instanceof AuthorizationFilter authorization) {
                    AuthorizationResult result = authorization.getAuthorizationManager().authorize(() -> anonymous, request(method, path));
                    return result != null && result.isGranted() ? "the SecurityFilterChain that matches it permits it" : null;
                }
            }
            return "the SecurityFilterChain that matches it has no authorization rules (authorizeHttpRequests),"
                    + " e.g. web.ignoring()";
        }
        return "no SecurityFilterChain matches it";
    }

    /** A stand-in request for {@code method path}: enough for request matchers and authorization managers. */
    // The servlet API's getRequestURL() returns a StringBuffer; a proxy's method table reads best as
    // the case labels of one statement switch.
    @SuppressWarnings({"JdkObsolete", "StatementSwitchToExpressionSwitch"})
    static HttpServletRequest request(String method, String path) {
        Map<String, Object> attributes = new HashMap<>();
        InvocationHandler handler = (proxy, m, args) -> {
            switch (m.getName()) {
                case "getMethod": return method;
                case "getRequestURI": case "getServletPath": return path;
                case "getRequestURL": return new StringBuffer("http://localhost").append(path);
                case "getContextPath": return "";
                case "getDispatcherType": return DispatcherType.REQUEST;
                case "getScheme": return "http";
                case "getServerName": case "getLocalName": case "getRemoteHost": return "localhost";
                case "getRemoteAddr": case "getLocalAddr": return "127.0.0.1";
                case "getServerPort": case "getLocalPort": return 80;
                case "getProtocol": return "HTTP/1.1";
                case "getAttribute": return attributes.get((String) args[0]);
                case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                case "removeAttribute": attributes.remove((String) args[0]); return null;
                case "getAttributeNames": return Collections.enumeration(attributes.keySet());
                case "getHeaders": case "getHeaderNames": case "getParameterNames": case "getLocales":
                    return Collections.emptyEnumeration();
                case "getParameterMap": return Map.of();
                case "getIntHeader": return -1;
                case "getDateHeader": return -1L;
                case "getCookies": return null;
                case "toString": return "console access probe " + method + " " + path;
                case "hashCode": return System.identityHashCode(proxy);
                case "equals": return proxy == args[0];
                default: break;
            }
            if (m.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, m, args);
            }
            return defaultValue(m);
        };
        return (HttpServletRequest) Proxy.newProxyInstance(SpringSecurityProbe.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, handler);
    }

    /** Null, false or zero: no header, no parameter, no session, not secure. */
    private static @Nullable Object defaultValue(Method m) {
        Class<?> type = m.getReturnType();
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
