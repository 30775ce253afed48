/** The {@code aether} actuator endpoint: subscriptions, their lag and their parked events. */
package dev.aether.spring.actuate;
