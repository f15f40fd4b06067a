package dev.keyline.app;

/** Why the gateway could not start serving (a busy port, an address it may not bind); one line for the user. */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message, null, false, false);
    }
}
