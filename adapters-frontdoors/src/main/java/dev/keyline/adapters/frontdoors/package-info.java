/** HTTP adapters: the Helidon front door ({@code server}), provider clients ({@code provider}) and JSON mapping ({@code wire}). */
package dev.keyline.adapters.frontdoors;
