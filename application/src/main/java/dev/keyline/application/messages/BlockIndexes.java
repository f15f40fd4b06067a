package dev.keyline.application.messages;

/** The next content-block index of the one message a streamed search loop shows its client, across all hops. */
final class BlockIndexes {

    private int next;

    /** @return an index no block of the message has yet */
    int take() {
        return next++;
    }
}
