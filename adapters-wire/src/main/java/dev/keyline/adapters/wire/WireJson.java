package dev.keyline.adapters.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper of a gateway, with read limits that match its documented body limit. */
public final class WireJson {

    private WireJson() {}

    /**
     * Jackson refuses strings over 20 million characters by default, below a 32 MB body: a large base64 PDF would be
     * called "not valid JSON". The body limit is enforced by the server; here no single value may exceed it.
     *
     * <p>Buffers come from one shared pool, not Jackson's default per-thread one: every request and stream has a
     * virtual thread of its own, so a per-thread pool recycled nothing (each request allocated fresh parser
     * buffers) and each open stream kept its own buffers for its whole life.
     *
     * @param maxBodyBytes the largest request body the gateway accepts
     * @return a mapper that reads any body within that limit
     */
    public static ObjectMapper mapper(long maxBodyBytes) {
        int maxString = (int) Math.min(maxBodyBytes, Integer.MAX_VALUE);
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(maxString)
                        .maxDocumentLength(maxBodyBytes)
                        .build())
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build();
        return new ObjectMapper(factory);
    }
}
