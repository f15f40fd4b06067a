/** Driving ports: the use cases a front door calls. */
package dev.keyline.ports.in;
