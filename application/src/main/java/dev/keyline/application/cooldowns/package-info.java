/** The operators' view of the deployments resting after upstream failures. */
package dev.keyline.application.cooldowns;
