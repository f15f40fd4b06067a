/**
 * JMH benchmarks of the gateway's hot paths, as a profile under load shows them; run with
 * {@code ./keyline bench --jmh}. The process-level harness (latency, load, memory) is the {@code benchmarks} module.
 */
package dev.keyline.microbenchmarks;
