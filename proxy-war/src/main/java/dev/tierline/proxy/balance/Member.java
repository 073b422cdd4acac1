package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;

/** A backend as a balancing policy sees it at the moment of a pick. */
public interface Member {

    Backend backend();

    /**
     * How large a share of requests this member should get, relative to the other candidates: its configured
     * weight, lowered while it warms up after coming back (slow start). Always greater than zero.
     */
    double weight();

    /** Requests forwarded to this member that have not finished yet. */
    int inFlight();
}
