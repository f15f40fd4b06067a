package dev.keyline.adapters.frontdoors.admin;

/** An admin request that makes no sense; answered 400 (or 404) with its message, which names no key. */
final class AdminRequestException extends RuntimeException {

    private final int status;

    AdminRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    AdminRequestException(String message) {
        this(400, message);
    }

    int status() {
        return status;
    }
}
