/** How Keyline's log lines look on the console. */
package dev.keyline.app.logging;
