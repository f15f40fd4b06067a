/**
 * The provider dispatcher: pairs each configured deployment with the adapter for its provider, and hands the
 * application an {@link dev.keyline.ports.out.Upstream} per deployment. The one place that knows which providers
 * Keyline can call.
 */
package dev.keyline.app.provider;
