package dev.hookwise.core.policy;

import dev.hookwise.core.HookwiseConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An optional allow-list of source addresses (CIDR blocks, IPv4 and IPv6), a second line of
 * defence behind the signature. Requests from elsewhere are answered 403 {@code forbidden_source}.
 *
 * <p>{@code X-Forwarded-For} is ignored unless the direct peer is one of the configured trusted
 * proxies; then the right-most address not itself a trusted proxy is the client. Stripe publishes
 * the addresses it sends webhooks from; keep the list current, or rely on the signature alone.
 *
 * <pre>{@code
 * SourceAddressFilter.builder()
 *         .allow("3.18.12.63/32", "3.130.192.231/32")
 *         .trustProxies("10.0.0.0/8")
 *         .build();
 * }</pre>
 */
public final class SourceAddressFilter {
    private static final SourceAddressFilter ANY = new SourceAddressFilter(List.of(), List.of());

    private final List<Cidr> allowed;
    private final List<Cidr> trustedProxies;

    private SourceAddressFilter(List<Cidr> allowed, List<Cidr> trustedProxies) {
        this.allowed = allowed;
        this.trustedProxies = trustedProxies;
    }

    /** Accepts every address (the default). */
    public static SourceAddressFilter allowAll() {
        return ANY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a list is configured at all. */
    public boolean isActive() {
        return !allowed.isEmpty();
    }

    /**
     * Whether a request may proceed.
     *
     * @param remoteAddress the direct peer's address
     * @param forwardedFor the {@code X-Forwarded-For} header, used only behind a trusted proxy
     */
    public boolean allows(@Nullable String remoteAddress, @Nullable String forwardedFor) {
        if (allowed.isEmpty()) {
            return true;
        }
        byte[] client = parse(remoteAddress);
        if (client == null) {
            return false;
        }
        if (forwardedFor != null && matchesAny(trustedProxies, client)) {
            String[] hops = forwardedFor.split(",");
            client = null;
            for (int i = hops.length - 1; i >= 0; i--) {
                byte[] hop = parse(hops[i].trim());
                if (hop == null) {
                    return false;
                }
                if (!matchesAny(trustedProxies, hop)) {
                    client = hop;
                    break;
                }
            }
            if (client == null) {
                return false;
            }
        }
        return matchesAny(allowed, client);
    }

    private static boolean matchesAny(List<Cidr> blocks, byte[] address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses a literal IP address without DNS; null if it is not one. */
    private static byte @Nullable [] parse(@Nullable String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) {
            return null;
        }
        String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean looksLikeIp = s.indexOf(':') >= 0 || s.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
        if (!looksLikeIp) {
            return null; // never resolve host names
        }
        try {
            byte[] raw = InetAddress.getByName(s).getAddress();
            return toV6Mapped(raw);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] toV6Mapped(byte[] raw) {
        if (raw.length == 16) {
            return raw;
        }
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(raw, 0, v6, 12, 4);
        return v6;
    }

    private record Cidr(byte[] network, int prefixBits) {
        static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String address = slash < 0 ? t : t.substring(0, slash);
            byte[] bytes = SourceAddressFilter.parse(address);
            if (bytes == null) {
                throw new HookwiseConfigurationException("'" + text + "' is not an IP address or CIDR block");
            }
            boolean v4 = address.indexOf(':') < 0;
            int max = v4 ? 32 : 128;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new HookwiseConfigurationException("'" + text + "' has a prefix length that is not a number");
            }
            if (bits < 0 || bits > max) {
                throw new HookwiseConfigurationException("'" + text + "' has a prefix length outside 0.." + max);
            }
            return new Cidr(bytes, v4 ? bits + 96 : bits);
        }

        boolean contains(byte[] address) {
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** Builder for {@link SourceAddressFilter}. */
    public static final class Builder {
        private final List<Cidr> allowed = new ArrayList<>();
        private final List<Cidr> trusted = new ArrayList<>();

        private Builder() {}

        /** Addresses or CIDR blocks allowed to deliver. */
        public Builder allow(String... cidrs) {
            for (String c : cidrs) {
                allowed.add(Cidr.parse(c));
            }
            return this;
        }

        /** Reverse proxies whose {@code X-Forwarded-For} is believed. */
        public Builder trustProxies(String... cidrs) {
            for (String c : cidrs) {
                trusted.add(Cidr.parse(c));
            }
            return this;
        }

        public SourceAddressFilter build() {
            if (allowed.isEmpty() && !trusted.isEmpty()) {
                throw new HookwiseConfigurationException("trusted proxies are configured but no allowed address:"
                        + " add allow(...) or remove trustProxies(...)");
            }
            return new SourceAddressFilter(List.copyOf(allowed), List.copyOf(trusted));
        }
    }
}
