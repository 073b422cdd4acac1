package dev.tierline.proxy.admin;

/** The configuration file over JMX ({@code dev.tierline:type=Configuration,...}): reload it now. */
public interface ConfigurationMXBean {

    String getFile();

    /** Reads the file now and swaps in what it says; returns what happened, in one line. */
    String reload();
}
