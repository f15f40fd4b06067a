/** The operator's admin API for virtual keys, teams and spend, in LiteLLM's shapes ({@code /key/*}, {@code /team/*}, {@code /spend/logs}). */
package dev.keyline.adapters.frontdoors.admin;
