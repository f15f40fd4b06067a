/**
 * Keyline's application layer: use cases the HTTP front door drives ({@code in}), ports to the outside world
 * ({@code out}) and the services that implement the use cases by driving the domain through those ports.
 */
package dev.keyline.ports;
