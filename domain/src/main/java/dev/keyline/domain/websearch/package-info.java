/**
 * Web-search interception as pure functions: recognising search tools, rewriting them into a tool the model can
 * call, the agentic loop's state machine, result filtering and the conversion of earlier search turns. The loop
 * never names a deployment: the service binds one for all hops.
 */
package dev.keyline.domain.websearch;
