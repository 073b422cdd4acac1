package dev.tierline.proxy.config;

import java.util.List;

/** Settings that cannot be used, with every reason found, each naming the setting it is about. */
public final class InvalidSettingsException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<String> errors;

    public InvalidSettingsException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
