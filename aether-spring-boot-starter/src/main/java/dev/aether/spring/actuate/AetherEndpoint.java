package dev.aether.spring.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.aether.LagAware;
import dev.aether.PartitionAware;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.SubscriptionLag;
import dev.aether.spring.AetherSubscriberEndpoint;
import dev.aether.spring.AetherSubscriberRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code aether} actuator endpoint, for operators: this process's {@code @AetherSubscriber}
 * subscriptions with their lag and parked count, and the parked events of a subscription (named by its
 * durable name), which it replays or discards through {@link ParkedEvents}.
 *
 * <ul>
 * <li>read {@code /aether}: the subscriptions;</li>
 * <li>read {@code /aether/{subscription}}: its parked events, oldest first;</li>
 * <li>write {@code /aether/{subscription}} (optional {@code id}): replays its parked events, or one;</li>
 * <li>delete {@code /aether/{subscription}} (optional {@code id}): discards its parked events, or one.</li>
 * </ul>
 */
@Endpoint(id = "aether")
public final class AetherEndpoint {

    private final AetherSubscriberRegistry registry;
    private final @Nullable ParkedEvents parkedEvents;

    /**
     * @param registry     the subscribers of this process
     * @param parkedEvents the store's parked events, or null when the store has none to offer
     */
    public AetherEndpoint(AetherSubscriberRegistry registry, @Nullable ParkedEvents parkedEvents) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.parkedEvents = parkedEvents;
    }

    /** @return every {@code @AetherSubscriber} of this process, in registration order */
    @ReadOperation
    public SubscriptionsDescriptor subscriptions() {
        return new SubscriptionsDescriptor(registry.endpoints().stream().map(this::describe).toList());
    }

    /**
     * @param subscription a durable name
     * @return its parked events, or null (not found) when the store keeps none
     */
    @ReadOperation
    public @Nullable ParkedEventsDescriptor parked(@Selector String subscription) {
        if (parkedEvents == null) {
            return null;
        }
        List<ParkedEvent> parked = call(() -> parkedEvents.parkedEvents(subscription));
        return new ParkedEventsDescriptor(subscription, parked.stream().map(ParkedEventDescriptor::of).toList());
    }

    /**
     * Hands the subscription's parked events (or the one with {@code id}) back to its running handler.
     *
     * @param subscription the durable name of a subscription running in this process
     * @param id           one parked event's id, or null for all of them
     * @return how many were handed over, or null (not found) when the store keeps none
     */
    @WriteOperation
    public @Nullable ReplayDescriptor replay(@Selector String subscription, @Nullable Long id) {
        if (parkedEvents == null) {
            return null;
        }
        long replayed = call(() -> id == null ? parkedEvents.replayParked(subscription)
                : parkedEvents.replayParked(subscription, id) ? 1 : 0);
        return new ReplayDescriptor(subscription, replayed);
    }

    /**
     * Removes the subscription's parked events (or the one with {@code id}) for good.
     *
     * @param subscription a durable name
     * @param id           one parked event's id, or null for all of them
     * @return how many were removed, or null (not found) when the store keeps none
     */
    @DeleteOperation
    public @Nullable DiscardDescriptor discard(@Selector String subscription, @Nullable Long id) {
        if (parkedEvents == null) {
            return null;
        }
        long discarded = call(() -> id == null ? parkedEvents.discardParked(subscription)
                : parkedEvents.discardParked(subscription, id) ? 1 : 0);
        return new DiscardDescriptor(subscription, discarded);
    }

    private SubscriptionDescriptor describe(AetherSubscriberEndpoint endpoint) {
        Long lag = registry.subscription(endpoint.id())
                .filter(LagAware.class::isInstance)
                .flatMap(subscription -> ((LagAware) subscription).lag())
                .map(SubscriptionLag::total).orElse(null);
        List<Integer> owned = endpoint.partitions() < 2 ? null : registry.subscription(endpoint.id())
                .filter(PartitionAware.class::isInstance)
                .map(subscription -> ((PartitionAware) subscription).ownedPartitions()).orElse(null);
        return new SubscriptionDescriptor(endpoint.id(), endpoint.durableName(), endpoint.namespacePattern(),
                registry.isRunning(endpoint.id()), lag, parkedCount(endpoint.durableName()), endpoint.partitions(),
                owned);
    }

    private @Nullable Long parkedCount(@Nullable String durableName) {
        if (parkedEvents == null || durableName == null) {
            return null;
        }
        try {
            return parkedEvents.parkedCount(durableName);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /** Turns a malformed name, or a replay with no subscription running, into a bad request. */
    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
        }
    }

    /**
     * The subscribers of this process.
     *
     * @param subscriptions one entry per {@code @AetherSubscriber} method
     */
    public record SubscriptionsDescriptor(List<SubscriptionDescriptor> subscriptions) {
    }

    /**
     * One {@code @AetherSubscriber} method's subscription.
     *
     * @param subscriber       the subscriber id
     * @param durableName      the durable name, null for a per-process subscription
     * @param namespacePattern the namespaces it reads
     * @param running          whether its subscription runs
     * @param lag              events stored that it has not finished with, null when unknown
     * @param parked           events it parked and nobody replayed or discarded; null without a durable
     *                         name or when unknown
     * @param partitions       its partition count, 1 when not partitioned
     * @param ownedPartitions  the partitions this process handles now; null when not partitioned or unknown
     */
    public record SubscriptionDescriptor(String subscriber, @Nullable String durableName, String namespacePattern,
                                         boolean running, @Nullable Long lag, @Nullable Long parked, int partitions,
                                         @Nullable List<Integer> ownedPartitions) {
    }

    /**
     * The parked events of one subscription.
     *
     * @param subscription the durable name
     * @param parked       its parked events, oldest first
     */
    public record ParkedEventsDescriptor(String subscription, List<ParkedEventDescriptor> parked) {
    }

    /**
     * One parked event.
     *
     * @param id         its id, for a replay or discard of this event alone
     * @param namespace  the event's namespace
     * @param eventId    the event's id
     * @param eventType  the event's type
     * @param actorId    the event's actor
     * @param version    the event's version
     * @param position   where it is stored (the stream sequence on JetStream)
     * @param deliveries how many times the handler was called with it
     * @param failure    the last failure
     * @param parkedAt   when it was parked
     */
    public record ParkedEventDescriptor(long id, String namespace, String eventId, String eventType, String actorId,
                                        long version, long position, int deliveries, String failure,
                                        Instant parkedAt) {

        static ParkedEventDescriptor of(ParkedEvent parked) {
            return new ParkedEventDescriptor(parked.id(), parked.namespace(), parked.event().id(),
                    parked.event().eventType(), parked.event().actorId(), parked.event().version(), parked.position(),
                    parked.deliveries(), parked.failure(), parked.parkedAt());
        }
    }

    /**
     * What a replay did.
     *
     * @param subscription the durable name
     * @param replayed     how many parked events were handed to the handler
     */
    public record ReplayDescriptor(String subscription, long replayed) {
    }

    /**
     * What a discard did.
     *
     * @param subscription the durable name
     * @param discarded    how many parked events were removed
     */
    public record DiscardDescriptor(String subscription, long discarded) {
    }
}
