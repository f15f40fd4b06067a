/** The models clients may ask for: the model groups, by name. */
package dev.keyline.application.models;
