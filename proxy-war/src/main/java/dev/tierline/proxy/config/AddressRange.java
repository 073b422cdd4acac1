package dev.tierline.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IP address or a CIDR block, such as 10.0.0.0/8 or ::1, to trust a peer by its address. */
public final class AddressRange {

    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** Parses {@code address} or {@code address/prefix}; empty when it is neither. No name is looked up. */
    public static Optional<AddressRange> parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length > 2 || !LITERAL.matcher(parts[0]).matches()) {
            return Optional.empty();
        }
        byte[] address;
        try {
            address = InetAddress.getByName(parts[0]).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (parts.length == 2) {
            if (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > bits) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(parts[1]);
        }
        return Optional.of(new AddressRange(address, prefix, text.strip()));
    }

    /** True when {@code address} is in any of {@code ranges}. */
    public static boolean anyContains(List<AddressRange> ranges, String address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code address} (an IP literal, as a servlet's getRemoteAddr() gives it) is in this range. */
    public boolean contains(String address) {
        byte[] candidate;
        try {
            if (!LITERAL.matcher(address).matches()) {
                return false;
            }
            candidate = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
