/** Services implementing the use cases. */
package dev.keyline.ports.service;
