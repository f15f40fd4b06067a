/** The status page at {@code /ui}, and the memory of recent requests and limit hits it shows. */
package dev.keyline.adapters.frontdoors.status;
