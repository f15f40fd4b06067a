/**
 * Adapters for the routing state the {@code CooldownStore} port keeps: cooldowns and failure windows in this
 * process (Caffeine, per-entry expiry). A store shared by a fleet of gateways belongs here too.
 */
package dev.keyline.adapters.state;
