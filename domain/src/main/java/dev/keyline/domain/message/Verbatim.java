package dev.keyline.domain.message;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A request exactly as the client's bytes spelled it, with where its {@code model} value lies. An adapter whose
 * upstream speaks the client's own wire forwards these bytes with only the model replaced, instead of encoding
 * again every member it never changed (the per-kilobyte cost of a large request). Only {@link MessagesRequest}'s
 * reader and {@link MessagesRequest#withModel} carry it; every other way of making a request drops it, so a
 * request the gateway rewrote is never sent as the client wrote it.
 *
 * <p>The array is the gateway's own copy of the body and is never written to; it is not copied again here.
 */
public final class Verbatim {

    private final byte[] bytes;
    private final int modelStart;
    private final int modelEnd;

    private Verbatim(byte[] bytes, int modelStart, int modelEnd) {
        this.bytes = bytes;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
    }

    /**
     * @param bytes      the body as received; kept, not copied, and never written to
     * @param modelStart the offset of the model value's first byte (its opening quote)
     * @param modelEnd   the offset just past the value's last byte (its closing quote)
     * @return the body and its model's place
     */
    public static Verbatim of(byte[] bytes, int modelStart, int modelEnd) {
        Objects.requireNonNull(bytes, "'bytes' must not be null");
        if (modelStart < 0 || modelEnd <= modelStart || modelEnd > bytes.length) {
            throw new IllegalArgumentException(
                    "the model's span [" + modelStart + ", " + modelEnd + ") is not inside " + bytes.length + " bytes");
        }
        return new Verbatim(bytes, modelStart, modelEnd);
    }

    /** @return the bytes before the model's value, read-only */
    public ByteBuffer beforeModel() {
        return ByteBuffer.wrap(bytes, 0, modelStart).asReadOnlyBuffer();
    }

    /** @return the bytes after the model's value, read-only */
    public ByteBuffer afterModel() {
        return ByteBuffer.wrap(bytes, modelEnd, bytes.length - modelEnd).slice().asReadOnlyBuffer();
    }

    /** @return the body's length less its model value's */
    public int lengthWithoutModel() {
        return bytes.length - (modelEnd - modelStart);
    }

    @Override
    public String toString() {
        return "Verbatim[" + bytes.length + " bytes]"; // never the content
    }
}
