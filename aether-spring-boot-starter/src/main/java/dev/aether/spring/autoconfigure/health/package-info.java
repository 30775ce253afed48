/** Auto-configuration of the {@code aether} health component. */
package dev.aether.spring.autoconfigure.health;
