/**
 * Routing decisions as pure functions: which deployment serves an attempt, whether a failure is retried and after
 * how long, where a request falls back to, and whether a failure cools a deployment down. Nothing here performs
 * I/O or reads a clock; the ports' services feed these decisions with state and time.
 */
package dev.keyline.domain.routing;
