package dev.keyline.ports.out;

/** A {@link KeyStore} or {@link SpendLog} could not do what was asked. Messages never hold a key or its hash. */
public sealed class StoreException extends RuntimeException permits StoreException.Conflict {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A key alias, key or team id that is already taken. */
    public static final class Conflict extends StoreException {
        public Conflict(String message) {
            super(message, null);
        }
    }
}
