/** The composition root: builds the adapters and services from a loaded configuration and runs the server. */
package dev.keyline.app;
