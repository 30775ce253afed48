/** The {@code aether} health indicator. */
package dev.aether.spring.health;
