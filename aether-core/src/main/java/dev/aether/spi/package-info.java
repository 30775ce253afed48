/**
 * Building blocks for implementations of Aether's interfaces, shared by the in-memory and JetStream
 * implementations and offered to anyone writing another; applications do not need them.
 */
package dev.aether.spi;
