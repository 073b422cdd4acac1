package dev.tierline.proxy.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** X-Request-Id: the client's when it is a sensible one, else a new random one. */
final class RequestIds {

    /** The request attribute holding the id, for the access log ({@code %{dev.tierline.requestId}r}). */
    static final String ATTRIBUTE = "dev.tierline.requestId";

    /** Short, printable, and free of anything that could forge a log line or a header. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@+/=-]{1,128}");

    private RequestIds() {
    }

    static String of(HttpServletRequest request) {
        String received = request.getHeader("X-Request-Id");
        String id = received != null && ACCEPTED.matcher(received).matches() ? received : generate();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    /** 128 random bits in hex; not a security token, only unique enough to find a request in logs. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] digits = new char[32];
        hex(random.nextLong(), digits, 0);
        hex(random.nextLong(), digits, 16);
        return new String(digits);
    }

    private static void hex(long bits, char[] digits, int at) {
        for (int i = 15; i >= 0; i--) {
            digits[at + i] = Character.forDigit((int) (bits & 0xF), 16);
            bits >>>= 4;
        }
    }
}
