package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.util.ArrayList;
import java.util.List;

/** A member with a fixed weight and in-flight count, for policy tests. */
record TestMember(Backend backend, double weight, int inFlight) implements Member {

    static TestMember of(String id) {
        return of(id, 1, 0);
    }

    static TestMember of(String id, double weight, int inFlight) {
        return new TestMember(new Backend(id, "http", id, 1, ""), weight, inFlight);
    }

    static List<TestMember> named(String... ids) {
        List<TestMember> members = new ArrayList<>();
        for (String id : ids) {
            members.add(of(id));
        }
        return List.copyOf(members);
    }

    String id() {
        return backend.id();
    }
}
