package dev.braid.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), written as a literal: never a host name,
 * which would be resolved at start-up and could change under the service.
 *
 * @param network the range's first address
 * @param bits    the prefix length; the full address length for a single address
 */
public record AddressRange(InetAddress network, int bits) {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public AddressRange {
        int length = network.getAddress().length * 8;
        if (bits < 0 || bits > length) {
            throw new IllegalArgumentException("prefix length must be 0.." + length + " (was " + bits + ")");
        }
    }

    /** {@code text} as an address when it is an IPv4 or IPv6 literal; never a name lookup. */
    public static java.util.Optional<InetAddress> literal(String text) {
        if (!LITERAL.matcher(text).matches() || (!text.contains(".") && !text.contains(":"))) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Parses {@code 192.168.0.1}, {@code 10.0.0.0/8} or an IPv6 literal with or without a prefix.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress network = literal(address).orElseThrow(
                () -> new IllegalArgumentException("'" + trimmed + "' is not an IP address literal or CIDR range"));
        int length = network.getAddress().length * 8;
        int bits = length;
        if (slash >= 0) {
            String prefix = trimmed.substring(slash + 1);
            if (!prefix.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("'" + trimmed + "' has no valid prefix length");
            }
            bits = Integer.parseInt(prefix);
        }
        return new AddressRange(network, bits);
    }

    /** Whether {@code address} lies in the range; an IPv4 address never lies in an IPv6 range, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] base = network.getAddress();
        if (candidate.length != base.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != base[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (base[full] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + bits;
    }
}
