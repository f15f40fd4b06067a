/** Routing state kept in this process: cooldowns and failure windows on Caffeine, with per-entry expiry. */
package dev.keyline.app.cooldown;
