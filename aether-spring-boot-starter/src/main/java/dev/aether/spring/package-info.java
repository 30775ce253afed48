/** Aether's Spring Boot API: {@link dev.aether.spring.AetherSubscriber @AetherSubscriber}, its registry, and the store decorators the starter uses. */
package dev.aether.spring;
