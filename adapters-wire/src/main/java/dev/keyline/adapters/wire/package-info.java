/**
 * The Anthropic wire format: JSON to and from the domain's Messages model, with errors that name the JSON path of
 * what was wrong. Members the domain does not type are carried through untouched.
 */
package dev.keyline.adapters.wire;
