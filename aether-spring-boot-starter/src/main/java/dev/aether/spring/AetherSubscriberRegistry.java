package dev.aether.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.StoreUnavailableException;
import dev.aether.Subscription;
import dev.aether.spring.observation.AetherObservations;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the {@link AetherSubscriber @AetherSubscriber} endpoints and runs their subscriptions: they
 * start when the application context has been refreshed and stop before the NATS connection drains
 * (phase {@value #PHASE}, above the connection's).
 *
 * <p>Each subscription's start and stop, and each delivery (timed), are reported to the
 * {@link SubscriberDeliveryListener}; a method that throws is logged with the event id and the
 * exception is passed on, so that the subscription's retry policy applies; an event the subscription
 * parks (the delivery loop logs it) is reported. Each call is an
 * {@value AetherObservations#HANDLE} observation that continues the trace written into the event's metadata.
 */
public final class AetherSubscriberRegistry implements SmartLifecycle {

    /** The lifecycle phase: late to start, early to stop. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private static final Log logger = LogFactory.getLog(AetherSubscriberRegistry.class);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

    private final AetherSubscriptionFactory factory;
    private final SubscriberDeliveryListener listener;
    private final boolean retryWhenUnavailable;
    private final AetherObservations observations;
    private final Map<String, AetherSubscriberEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Subscription> running = new LinkedHashMap<>();
    private ScheduledExecutorService retries;
    private boolean started;

    /**
     * @param factory              starts the subscription of each endpoint
     * @param listener             told about each delivery
     * @param retryWhenUnavailable whether an endpoint whose store is unreachable at start is retried in
     *                             the background (true) or fails startup (false)
     */
    public AetherSubscriberRegistry(AetherSubscriptionFactory factory, SubscriberDeliveryListener listener,
                                    boolean retryWhenUnavailable) {
        this(factory, listener, retryWhenUnavailable, AetherObservations.none());
    }

    /**
     * @param factory              starts the subscription of each endpoint
     * @param listener             told about each delivery
     * @param retryWhenUnavailable whether an endpoint whose store is unreachable at start is retried in
     *                             the background (true) or fails startup (false)
     * @param observations         makes an {@value AetherObservations#HANDLE} observation of each call
     */
    public AetherSubscriberRegistry(AetherSubscriptionFactory factory, SubscriberDeliveryListener listener,
                                    boolean retryWhenUnavailable, AetherObservations observations) {
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        this.retryWhenUnavailable = retryWhenUnavailable;
        this.observations = Objects.requireNonNull(observations, "observations must not be null");
    }

    /**
     * Adds an endpoint; it starts with the registry, or at once if the registry runs already.
     *
     * @param endpoint the endpoint
     * @throws IllegalStateException if another endpoint has the same id
     */
    public synchronized void register(AetherSubscriberEndpoint endpoint) {
        if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
            throw new IllegalStateException("Two @AetherSubscriber methods have the id '" + endpoint.id()
                    + "': set a distinct id on " + endpoint.method());
        }
        if (started) {
            startEndpoint(endpoint);
        }
    }

    /** @return the registered endpoints, in registration order */
    public synchronized List<AetherSubscriberEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    /**
     * @param id an endpoint id
     * @return whether that endpoint's subscription runs
     */
    public synchronized boolean isRunning(String id) {
        return running.containsKey(id);
    }

    /**
     * @param id an endpoint id
     * @return that endpoint's running subscription, which may offer optional abilities such as
     *         {@link dev.aether.LagAware}; empty while it does not run
     */
    public synchronized Optional<Subscription> subscription(String id) {
        return Optional.ofNullable(running.get(id));
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (AetherSubscriberEndpoint endpoint : endpoints.values()) {
            startEndpoint(endpoint);
        }
    }

    @Override
    public void stop() {
        List<Map.Entry<AetherSubscriberEndpoint, Subscription>> toClose = new ArrayList<>();
        synchronized (this) {
            started = false;
            if (retries != null) {
                retries.shutdownNow();
                retries = null;
            }
            running.forEach((id, subscription) -> toClose.add(Map.entry(endpoints.get(id), subscription)));
            running.clear();
        }
        for (Map.Entry<AetherSubscriberEndpoint, Subscription> entry : toClose) {
            AetherSubscriberEndpoint endpoint = entry.getKey();
            Subscription subscription = entry.getValue();
            try {
                subscription.close();
            } catch (RuntimeException ex) {
                logger.warn("Closing the subscription of @AetherSubscriber " + endpoint.id() + " failed: "
                        + ex.getMessage());
            }
            listener.unsubscribed(endpoint, subscription);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void startEndpoint(AetherSubscriberEndpoint endpoint) {
        try {
            Subscription subscription = factory.subscribe(endpoint, observed(endpoint));
            running.put(endpoint.id(), subscription);
            listener.subscribed(endpoint, subscription);
        } catch (StoreUnavailableException ex) {
            if (!retryWhenUnavailable) {
                throw new IllegalStateException("@AetherSubscriber " + endpoint.id()
                        + " could not subscribe: " + ex.getMessage(), ex);
            }
            logger.warn("@AetherSubscriber " + endpoint.id() + " could not subscribe yet (" + ex.getMessage()
                    + "); retrying every " + RETRY_INTERVAL.toSeconds() + "s");
            scheduleRetry(endpoint);
        }
    }

    private void scheduleRetry(AetherSubscriberEndpoint endpoint) {
        if (retries == null) {
            retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "aether-subscriber-retry");
                thread.setDaemon(true);
                return thread;
            });
        }
        retries.schedule(() -> {
            synchronized (this) {
                if (started && !running.containsKey(endpoint.id())) {
                    startEndpoint(endpoint);
                }
            }
        }, RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private EventHandler observed(AetherSubscriberEndpoint endpoint) {
        EventHandler target = endpoint.handler();
        return new EventHandler() {
            @Override
            public void handle(String namespace, Event event) {
                Observation observation = observations.handle(endpoint.id(), endpoint.namespacePattern(), namespace,
                        event).start();
                long start = System.nanoTime();
                try (Observation.Scope scope = observation.openScope()) {
                    target.handle(namespace, event);
                    observation.lowCardinalityKeyValue(AetherObservations.OUTCOME, "success");
                } catch (RuntimeException | Error ex) {
                    observation.lowCardinalityKeyValue(AetherObservations.OUTCOME, "error");
                    observation.error(ex);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    logger.warn("@AetherSubscriber " + endpoint.id() + " failed on event " + describe(event)
                            + " in namespace " + namespace + ": " + ex, ex);
                    listener.failed(endpoint, namespace, event, ex, took);
                    throw ex;
                } finally {
                    observation.stop();
                }
                listener.delivered(endpoint, namespace, event, Duration.ofNanos(System.nanoTime() - start));
            }

            @Override
            public void parked(String namespace, Event event, int deliveries, Throwable failure) {
                listener.parked(endpoint, namespace, event);
            }
        };
    }

    private static String describe(Event event) {
        return event.id() + " (type " + event.eventType() + ", actor " + event.actorId() + ", version "
                + event.version() + ")";
    }
}
