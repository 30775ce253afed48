/** Testcontainers service connection for NATS. */
package dev.aether.spring.testcontainers;
