package dev.tierline.launcher;

/** A problem the user can fix, reported as one line without a stack trace. */
public final class LauncherException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
