/** Provider failures, classified once from what the upstream answered so every later decision is a switch. */
package dev.keyline.domain.failure;
