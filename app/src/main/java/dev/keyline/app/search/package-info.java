/** Chooses and builds the search engine for web-search interception from {@code search_tools}. */
package dev.keyline.app.search;
