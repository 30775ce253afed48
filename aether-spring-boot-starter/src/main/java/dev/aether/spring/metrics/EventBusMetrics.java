package dev.aether.spring.metrics;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

import dev.aether.EventBus;
import dev.aether.jetstream.NatsEventBus;
import dev.aether.memory.InMemoryEventBus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the counters Aether's buses keep: {@code aether.bus.handler.failures} (handler exceptions,
 * both buses) and {@code aether.bus.dropped} (events dropped because a subscription's queue was full,
 * in-memory bus), each tagged {@code bus} ({@code memory} or {@code nats}). Other buses bind nothing.
 */
public final class EventBusMetrics implements MeterBinder {

    private final EventBus bus;

    /** @param bus the bus to observe */
    public EventBusMetrics(EventBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus must not be null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (bus instanceof InMemoryEventBus memory) {
            counter(registry, "aether.bus.handler.failures", "Exceptions thrown by bus handlers", "memory", memory,
                    InMemoryEventBus::handlerFailures);
            counter(registry, "aether.bus.dropped", "Events dropped because a subscription's queue was full", "memory",
                    memory, InMemoryEventBus::droppedEvents);
        }
        else if (bus instanceof NatsEventBus nats) {
            counter(registry, "aether.bus.handler.failures", "Exceptions thrown by bus handlers", "nats", nats,
                    NatsEventBus::handlerFailures);
        }
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, String type, T bus,
                                    ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, bus, value).description(description).tag("bus", type).register(registry);
    }
}
