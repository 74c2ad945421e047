package dev.hookwise.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The secrets this run knows (database password, Stripe key, passwords inside the JDBC URL), so
 * that no message the CLI prints can contain one, whatever a driver or library put into it.
 */
public final class Secrets {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)password=([^&;\\s,'\")]+)");
    private static final Pattern URL_USERINFO = Pattern.compile("//[^/@:]+:([^/@]+)@");
    private final List<String> values = new ArrayList<>();

    /** Remembers a secret (ignored when null or too short to be worth matching). */
    public synchronized void add(@Nullable String secret) {
        if (secret != null && secret.length() >= 3) {
            values.add(secret);
        }
    }

    /** Remembers passwords written into a JDBC URL ({@code password=…}, {@code user:pass@host}). */
    public void addUrlSecrets(String url) {
        Matcher m = URL_PASSWORD.matcher(url);
        while (m.find()) {
            add(m.group(1));
        }
        Matcher u = URL_USERINFO.matcher(url);
        while (u.find()) {
            add(u.group(1));
        }
    }

    /** {@code text} with every known secret, and any {@code password=…} parameter, replaced by {@code ****}. */
    public synchronized String redact(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : values) {
            out = out.replace(secret, "****");
        }
        out = URL_PASSWORD.matcher(out).replaceAll("password=****");
        return out.replaceAll("\\b(sk|rk)_(live|test)_[A-Za-z0-9]+", "$1_$2_****");
    }
}
