/**
 * Search engine adapters ({@code SearxngSearchEngine}, {@code TavilySearchEngine}, …) for the web-search loop.
 * They depend on the ports and the domain only, never on the HTTP adapters.
 */
package dev.keyline.adapters.search;
