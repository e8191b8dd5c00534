package io.connectaws.launcher;

/** A configuration the launcher refuses to start with; the message says what to set. */
public final class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LauncherException(String message) {
        super(message);
    }
}
