package dev.tierline.proxy.admin;

/**
 * A backend as operators see it over JMX ({@code dev.tierline:type=Backend,...}), in jconsole or through the
 * Manager's JMX proxy: what it is doing, and drain, disable and enable. A reload of the configuration file
 * sets the state the file gives.
 */
public interface BackendStatusMXBean {

    String getUrl();

    int getInFlight();

    String getAdminState();

    boolean isAvailable();

    boolean isEjected();

    boolean isFailingProbes();

    double getWeight();

    /** The state the admin API and the metrics show: healthy, unhealthy, ejected, draining or disabled. */
    String getState();

    int getConfiguredWeight();

    long getRequests();

    long getEjections();

    /** The 99th percentile of the last minute's attempts, in seconds; 0 without any. */
    double getLatencyP99Seconds();

    void drain();

    void disable();

    void enable();
}
