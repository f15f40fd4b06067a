/**
 * Keyline's ports: the use cases a front door drives ({@code in}) and what the application needs from the outside
 * world ({@code out}). Interfaces and values only; the services that implement the use cases live in the
 * {@code application} module, the adapters in the {@code adapters-*} modules.
 */
package dev.keyline.ports;
