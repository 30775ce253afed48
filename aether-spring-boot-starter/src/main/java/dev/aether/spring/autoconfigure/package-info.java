/** Auto-configuration of Aether: properties ({@code aether.*}), the store, bus, NATS connection and subscribers. */
package dev.aether.spring.autoconfigure;
