/** Virtual keys: who may call, within which budget and limits; what each request cost; the operator's management. */
package dev.keyline.application.keys;
