package dev.tierline.proxy.balance;

/**
 * Bounds retries so that they cannot become a storm: each request earns {@code ratio} of a retry, up to
 * {@code capacity} saved, and each retry spends one. With a ratio of 0.2, retries add at most 20% to the
 * load a cluster sees, however many backends fail; the saved few let a quiet cluster retry at all.
 */
public final class RetryBudget {

    private final double ratio;
    private final double capacity;
    private double balance;

    public RetryBudget(double ratio, double capacity) {
        if (ratio < 0 || capacity < 1) {
            throw new IllegalArgumentException("ratio must be at least 0 and capacity at least 1");
        }
        this.ratio = ratio;
        this.capacity = capacity;
        this.balance = capacity;
    }

    /** A new request arrived. */
    public synchronized void earn() {
        balance = Math.min(capacity, balance + ratio);
    }

    /** Takes one retry from the budget; false when it is spent. */
    public synchronized boolean spend() {
        if (balance < 1) {
            return false;
        }
        balance -= 1;
        return true;
    }
}
