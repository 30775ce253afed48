package dev.aether.spring;

import dev.aether.StartPosition;
import org.springframework.aot.hint.annotation.Reflective;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives saved events.
 *
 * <pre>{@code
 * @AetherSubscriber(namespace = "orders.*", eventTypes = "OrderPlaced")
 * void on(String namespace, Event event) { ... }
 * }</pre>
 *
 * <p>The method takes {@code (Event)} or {@code (String namespace, Event event)}, or a class registered in
 * the {@link dev.aether.typed.EventTypes} bean in place of or beside the event: {@code (OrderPlaced placed)},
 * {@code (OrderPlaced placed, Event event)}. A typed method receives only its class's event type; a class
 * that is not registered, and any other signature, fail startup with a message naming the bean class
 * and the method. Every attribute may hold
 * {@code ${...}} placeholders. Subscriptions start once the application context is refreshed and
 * stop before the NATS connection closes.
 *
 * <p>The method reads what the store saved through its {@link dev.aether.EventSubscriptions} (on
 * JetStream a save in any process reaches it; in memory, a save in this JVM), with no separate
 * publish; {@code durable} and {@code startFrom} mean the same on both stores. A method that throws gets
 * the event again after a back-off ({@code aether.subscribers.*}) until the event is parked; each
 * failure is logged with the event id.
 *
 * <p>The annotation is {@link Reflective @Reflective}: Spring AOT registers the reflection hints that
 * calling an annotated method needs, so subscribers work in a native image.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface AetherSubscriber {

    /**
     * @return the namespace pattern to listen to, NATS wildcards allowed ({@code orders.*},
     *         {@code tenant-a.>}); empty (default) for {@code aether.namespace}
     */
    String namespace() default "";

    /** @return the event types to receive; empty (default) for every type */
    String[] eventTypes() default {};

    /**
     * @return a pattern over the actor id's dot-separated tokens ({@code orders.*}); empty (default) for
     *         every actor
     */
    String actor() default "";

    /**
     * @return a durable name ({@code [A-Za-z0-9_-]}): the subscription's position is kept when it stops
     *         (by the server on JetStream; in memory, for as long as the store lives), and every
     *         subscription using the same name shares the events (each handled by one of them);
     *         empty (default) for a subscription in each process that receives events saved while it runs
     */
    String durable() default "";

    /**
     * @return where a subscription without a kept position starts: {@link StartFrom#NEW_EVENTS} (default),
     *         or {@link StartFrom#BEGINNING} to replay every stored event first, which rebuilds an in-memory
     *         read model at each start (without {@code durable}) or fills a new durable one
     */
    StartFrom startFrom() default StartFrom.NEW_EVENTS;

    /**
     * @return how many partitions a {@code durable} subscription's actors are spread over, 1 to 1024; empty
     *         (default) for 1. Above 1 each partition is handled by one live process of the group at a time,
     *         so one actor's events are handled in order across every instance of the application (see
     *         docs/subscriptions.md); every instance must declare the same count
     */
    String partitions() default "";

    /** @return an id for logs and metrics; empty (default) for {@code beanName.methodName} */
    String id() default "";

    /** Where a subscription without a kept position starts reading. */
    enum StartFrom {
        /** Events saved after the subscription starts. */
        NEW_EVENTS,
        /** Every stored event, then new ones. */
        BEGINNING;

        StartPosition toStartPosition() {
            return this == BEGINNING ? StartPosition.beginning() : StartPosition.newEvents();
        }
    }
}
