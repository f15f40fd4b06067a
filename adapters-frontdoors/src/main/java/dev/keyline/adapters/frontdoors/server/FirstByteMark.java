package dev.keyline.adapters.frontdoors.server;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A client's response stream that tells the request's journal when its first byte leaves. */
public final class FirstByteMark extends FilterOutputStream {

    private final InMemoryRequestJournal journal;
    private boolean marked;

    public FirstByteMark(OutputStream out, InMemoryRequestJournal journal) {
        super(out);
        this.journal = journal;
    }

    @Override
    public void write(int b) throws IOException {
        mark();
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        mark();
        out.write(b, off, len);
    }

    private void mark() {
        if (!marked) {
            marked = true;
            journal.firstByte(System.nanoTime());
        }
    }
}
