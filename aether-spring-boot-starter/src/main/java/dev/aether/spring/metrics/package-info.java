/** Micrometer instrumentation of Aether's store, bus and subscribers. */
package dev.aether.spring.metrics;
