/**
 * Virtual keys and teams: who may call which model groups, within which budgets and limits, and what a request cost.
 * Pure decisions; the keys themselves are stored as hashes by an outgoing port.
 */
package dev.keyline.domain.keys;
