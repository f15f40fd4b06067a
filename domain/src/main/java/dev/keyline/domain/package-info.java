/**
 * Keyline's model: deployments and their credentials, the Messages request and response, and classified
 * provider failures. Pure Java: no I/O, no framework, no JSON library; time arrives as values.
 */
package dev.keyline.domain;
