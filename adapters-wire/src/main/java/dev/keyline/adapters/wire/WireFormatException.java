package dev.keyline.adapters.wire;

/** A JSON document that does not have the shape the Messages API requires; the message starts with the path. */
public final class WireFormatException extends RuntimeException {

    public WireFormatException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem, null, false, false);
    }
}
