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

    void drain();

    void disable();

    void enable();
}
