/**
 * The benchmark harness behind {@code ./keyline bench}: one fast upstream, and the same workloads sent directly,
 * through Keyline and through a peer gateway, in one run, so the figures are side by side on the same noisy machine.
 */
package dev.keyline.benchmarks;
