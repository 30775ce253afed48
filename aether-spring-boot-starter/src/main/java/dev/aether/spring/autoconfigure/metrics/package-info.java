/** Auto-configuration of Aether's Micrometer metrics. */
package dev.aether.spring.autoconfigure.metrics;
