package dev.aether.sample.payments;

import dev.aether.Event;
import dev.aether.sample.api.EventView;
import dev.aether.sample.api.RecentEvents;
import dev.aether.spring.AetherSubscriber;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber to another team's namespaces, {@code payments.>}, living in the same service as the
 * accounts. It shows namespace isolation: it receives the payments events and never an account
 * event, while the account subscribers never receive a payments event.
 */
@Component
public class PaymentsLog {

    /** The namespace pattern this subscriber listens to. */
    public static final String NAMESPACE_PATTERN = "payments.>";
    /** How many recent events are kept. */
    public static final int RECENT = 20;

    private final AtomicLong received = new AtomicLong();
    private final RecentEvents recent = new RecentEvents(RECENT);

    /**
     * Receives events of every {@code payments.*} namespace.
     *
     * @param namespace the namespace the event was saved in
     * @param event     the event
     */
    @AetherSubscriber(id = "payments-log", namespace = NAMESPACE_PATTERN)
    public void on(String namespace, Event event) {
        received.incrementAndGet();
        recent.add(EventView.of(namespace, event));
    }

    /** @return how many events arrived since the service started */
    public long received() {
        return received.get();
    }

    /** @return the latest events, newest first */
    public List<EventView> recent() {
        return recent.list();
    }
}
