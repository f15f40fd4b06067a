/** The command line: argument parsing and the messages a person at a terminal reads. */
package dev.keyline.app.cli;
