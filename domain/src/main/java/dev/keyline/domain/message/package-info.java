/**
 * The Anthropic Messages model: requests, messages, content blocks, tools, usage and stream events. Every type
 * keeps the attributes it does not interpret, so whatever a client sends reaches the upstream intact.
 */
package dev.keyline.domain.message;
