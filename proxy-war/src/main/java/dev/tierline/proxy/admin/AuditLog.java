package dev.tierline.proxy.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * Every change made through the admin paths: who, from where, what, and the state before and after. Each goes
 * to the log {@code dev.tierline.audit} (Tomcat's log files keep it) and to a short list the console shows.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger("dev.tierline.audit");
    static final int KEPT = 200;

    /** One change. */
    record Entry(String time, String user, String address, String action, String target, String before,
            String after) {

        @Override
        public String toString() {
            return time + " " + user + " from " + address + ": " + action + " " + target + " (" + before + " -> "
                    + after + ")";
        }
    }

    private final Deque<Entry> recent = new ArrayDeque<>();

    void record(HttpServletRequest request, String action, String target, String before, String after) {
        record(String.valueOf(request.getRemoteUser()), request.getRemoteAddr(), action, target, before, after);
    }

    /** A change made other than through the admin API: over JMX, who and where are what JMX can tell. */
    void record(String user, String address, String action, String target, String before, String after) {
        Entry entry = new Entry(Instant.now().toString(), user, address, action, target, before, after);
        LOG.info(entry.toString());
        synchronized (recent) {
            recent.addFirst(entry);
            if (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
    }

    /** The latest changes, newest first. */
    List<Entry> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }
}
