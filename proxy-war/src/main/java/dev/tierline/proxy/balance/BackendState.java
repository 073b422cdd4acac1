package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend at runtime: what the balancer and the health rules know of it. */
public final class BackendState implements Member {

    private final Backend backend;
    private final int configuredWeight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public BackendState(Backend backend, int configuredWeight) {
        if (configuredWeight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + configuredWeight);
        }
        this.backend = backend;
        this.configuredWeight = configuredWeight;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public double weight() {
        return configuredWeight;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    /** A request was handed to this backend; {@link #finished()} must follow once it is over. */
    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return backend.id();
    }
}
