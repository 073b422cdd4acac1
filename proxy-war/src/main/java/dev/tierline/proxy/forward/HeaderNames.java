package dev.tierline.proxy.forward;

import java.util.Arrays;

/**
 * A fixed set of header names, matched whatever their case and without allocating: every header of every
 * message is looked up in one. Names are kept by length, so a lookup compares only names of the same length,
 * usually none or one.
 */
final class HeaderNames {

    private final String[][] byLength;

    private HeaderNames(String[][] byLength) {
        this.byLength = byLength;
    }

    static HeaderNames of(String... names) {
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        String[][] byLength = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int size = length;
            byLength[length] = Arrays.stream(names).filter(name -> name.length() == size).toArray(String[]::new);
        }
        return new HeaderNames(byLength);
    }

    boolean contains(String name) {
        int length = name.length();
        if (length >= byLength.length) {
            return false;
        }
        for (String candidate : byLength[length]) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
