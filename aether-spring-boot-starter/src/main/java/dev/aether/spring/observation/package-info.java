/**
 * Aether's Micrometer observations: {@code aether.save} around each save and {@code aether.handle}
 * around each {@code @AetherSubscriber} call, and the W3C trace context that travels in the event's
 * metadata from the one to the other.
 */
package dev.aether.spring.observation;
