/**
 * The OpenAI chat completions front door ({@code POST /v1/chat/completions}): chat requests read as Messages
 * requests, routed like them, and their answers and streams written back as chat completions.
 */
package dev.keyline.adapters.frontdoors.chat;
