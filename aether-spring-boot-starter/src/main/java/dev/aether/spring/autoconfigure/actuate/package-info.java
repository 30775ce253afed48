/** Auto-configuration of the {@code aether} actuator endpoint. */
package dev.aether.spring.autoconfigure.actuate;
