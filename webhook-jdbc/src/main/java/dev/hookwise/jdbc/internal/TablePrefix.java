package dev.hookwise.jdbc.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import java.util.regex.Pattern;

/** The one rule for table prefixes, so that a prefix can never carry SQL. */
public final class TablePrefix {
    /** 1 to 31 lower-case letters, digits or underscores, starting with a letter. */
    public static final String PATTERN = "[a-z][a-z0-9_]{0,30}";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private TablePrefix() {}

    /** Returns {@code prefix}, or throws naming the rule when it does not follow it. */
    public static String validate(String prefix) {
        if (prefix == null || !COMPILED.matcher(prefix).matches()) {
            throw new HookwiseConfigurationException("table prefix '" + prefix + "' is not valid: use 1 to 31"
                    + " lower-case letters, digits or underscores, starting with a letter (" + PATTERN
                    + "), e.g. 'hookwise_' or 'billing_'");
        }
        return prefix;
    }
}
