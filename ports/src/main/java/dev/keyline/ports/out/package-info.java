/** Driven ports: what the application needs from the outside (model providers, search engines, state stores). */
package dev.keyline.ports.out;
