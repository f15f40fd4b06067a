/**
 * Reads a LiteLLM-style {@code config.yaml} into validated records once, at startup. {@code os.environ/NAME}
 * values are resolved here and nowhere else; every complaint names the key path, and no secret is ever printed.
 */
package dev.keyline.app.config;
