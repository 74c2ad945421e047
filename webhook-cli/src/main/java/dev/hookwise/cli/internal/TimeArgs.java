package dev.hookwise.cli.internal;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times and durations as operators type them: {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d},
 * {@code 2w} or ISO-8601 ({@code PT36H}); instants as {@code 2026-11-20T10:00:00Z} or a date
 * {@code 2026-11-20} (midnight UTC), or as a duration meaning "that long before now".
 */
public final class TimeArgs {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

    private TimeArgs() {}

    /** Parses a positive duration; {@code option} names the option in the error. */
    public static Duration duration(String value, String option) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(v);
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        } else {
            try {
                d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new CliException(ExitCode.USAGE, option + " must be a positive duration such as 90s, 15m, 24h, 7d, 2w"
                    + " or PT36H, but was '" + value + "'");
        }
        return d;
    }

    /** Parses an instant, a date (midnight UTC) or a duration before {@code now}. */
    public static Instant instant(String value, Instant now, String option) {
        String v = value.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return now.minus(duration(v, option));
        } catch (CliException e) {
            throw new CliException(ExitCode.USAGE, option + " must be a time such as 2026-11-20T10:00:00Z, a date such as"
                    + " 2026-11-20 (midnight UTC), or an age such as 24h or 7d (that long before now), but was '"
                    + value + "'");
        }
    }

    /** An instant for people: ISO-8601 UTC to the second (JSON output keeps full precision). */
    public static String show(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** A short human form: {@code 3d 4h}, {@code 12m 5s}, {@code 15m}, {@code 0s}. */
    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long[] values = {s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < 3; i++) {
            if (values[i] > 0) {
                return values[i] + units[i] + (values[i + 1] > 0 ? " " + values[i + 1] + units[i + 1] : "");
            }
        }
        return values[3] + "s";
    }
}
