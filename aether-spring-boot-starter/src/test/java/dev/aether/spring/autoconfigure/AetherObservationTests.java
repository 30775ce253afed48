package dev.aether.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.VersionConflictException;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.observation.AetherObservations;
import dev.aether.spring.observation.EventHandleContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The {@code aether.save} and {@code aether.handle} observations, their tags, the trace context and the switch. */
class AetherObservationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> observations);

    @Test
    void eachSaveIsAnObservationTaggedWithStoreNamespaceTypeAndOutcome() {
        runner.withPropertyValues("aether.namespace=shop").run(context -> {
            EventStore store = context.getBean(EventStore.class);
            assertThat(store).isInstanceOf(ObservedSnapshotStore.class);
            store.saveEvent(event("order-1", 1));
            assertThatThrownBy(() -> store.saveEvent(event("order-1", 1))).isInstanceOf(VersionConflictException.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo(AetherObservations.SAVE, 2)
                    .forAllObservationsWithNameEqualTo(AetherObservations.SAVE,
                            observation -> observation.doesNotHaveParentObservation())
                    .hasAnObservation(observation -> observation.hasNameEqualTo(AetherObservations.SAVE)
                            .hasLowCardinalityKeyValue(AetherObservations.STORE_TYPE, "memory")
                            .hasLowCardinalityKeyValue(AetherObservations.NAMESPACE, "shop")
                            .hasLowCardinalityKeyValue(AetherObservations.EVENT_TYPE, "OrderPlaced")
                            .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "success")
                            .hasHighCardinalityKeyValue(AetherObservations.ACTOR_ID, "order-1"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo(AetherObservations.SAVE)
                            .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "conflict").hasError());
        });
    }

    @Test
    void eachHandledEventIsAnObservationTaggedWithSubscriberPatternTypeAndOutcome() {
        runner.withBean(Recording.class).run(context -> {
            context.getBean(EventStore.class).saveEvent(event("order-1", 1));
            await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(Recording.class).events).hasSize(1));
            await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(AetherObservations.HANDLE).that().hasBeenStopped()
                    .hasLowCardinalityKeyValue(AetherObservations.SUBSCRIBER_ID, "recording")
                    .hasLowCardinalityKeyValue(AetherObservations.NAMESPACE_PATTERN, "default")
                    .hasLowCardinalityKeyValue(AetherObservations.EVENT_TYPE, "OrderPlaced")
                    .hasLowCardinalityKeyValue(AetherObservations.STORE_TYPE, "memory")
                    .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "success"));
        });
    }

    @Test
    void aHandlerThatThrowsIsObservedAsAnError() {
        runner.withPropertyValues("aether.subscribers.max-deliveries=1").withBean(AetherSubscriberTests.Failing.class)
                .run(context -> {
                    context.getBean(EventStore.class).saveEvent(event("poison", 1));
                    await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                            .hasObservationWithNameEqualTo(AetherObservations.HANDLE).that().hasBeenStopped()
                            .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "error")
                            .hasError());
                });
    }

    @Test
    void observationsCanBeSwitchedOff() {
        runner.withPropertyValues("aether.observations.enabled=false").withBean(Recording.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            assertThat(store).isNotInstanceOf(ObservedSnapshotStore.class);
            store.saveEvent(event("order-1", 1));
            await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(Recording.class).events).hasSize(1));
            TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();
        });
    }

    @Test
    void aSaveInsideAnObservationCarriesTheTraceContextToTheHandler() {
        observations.observationConfig().observationHandler(new FakeTracer());
        runner.withBean(Recording.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Observation.createNotStarted("request", observations).observe(() -> store.saveEvent(event("order-1", 1)));

            assertThat(store.getEvents("order-1", 0).get(0).metadata())
                    .containsEntry(AetherObservations.TRACEPARENT, TRACEPARENT);
            await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(AetherObservations.HANDLE).that().hasBeenStopped());
            TestObservationRegistryAssert.assertThat(observations).hasHandledContextsThatSatisfy(contexts -> {
                EventHandleContext handled = contexts.stream().filter(EventHandleContext.class::isInstance)
                        .map(EventHandleContext.class::cast).findFirst().orElseThrow();
                assertThat(handled.getGetter().get(handled.getCarrier(), AetherObservations.TRACEPARENT))
                        .isEqualTo(TRACEPARENT);
                assertThat(handled.subscriberId()).isEqualTo("recording");
            });
        });
    }

    @Test
    void aSaveOutsideAnyObservationWritesNoTraceContext() {
        observations.observationConfig().observationHandler(new FakeTracer());
        runner.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.saveEvent(event("order-1", 1));
            assertThat(store.getEvents("order-1", 0).get(0).metadata()).doesNotContainKey(AetherObservations.TRACEPARENT);
        });
    }

    @Test
    void aBatchIsOneObservationAndEachOfItsEventsCarriesTheTraceContext() {
        observations.observationConfig().observationHandler(new FakeTracer());
        runner.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Observation.createNotStarted("request", observations)
                    .observe(() -> store.saveEvents(List.of(event("order-1", 1), event("order-1", 2))));

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo(AetherObservations.SAVE, 1)
                    .hasObservationWithNameEqualTo(AetherObservations.SAVE).that()
                    .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "success");
            assertThat(store.getEvents("order-1", 0)).extracting(Event::metadata)
                    .allSatisfy(metadata -> assertThat(metadata).containsEntry(AetherObservations.TRACEPARENT, TRACEPARENT));
        });
    }

    @Test
    void anAsynchronousSaveIsObservedUntilItCompletesAndReachesTheSubscribers() {
        runner.withBean(Recording.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.saveEventAsync(event("order-1", 1)).join();
            assertThat(store.saveEventsAsync(List.of(event("order-1", 1)))).failsWithin(WAIT)
                    .withThrowableThat().withCauseInstanceOf(VersionConflictException.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo(AetherObservations.SAVE, 2)
                    .hasAnObservation(observation -> observation.hasNameEqualTo(AetherObservations.SAVE)
                            .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "success"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo(AetherObservations.SAVE)
                            .hasLowCardinalityKeyValue(AetherObservations.OUTCOME, "conflict").hasError());
            await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(Recording.class).events).hasSize(1));
        });
    }

    @Test
    void withoutTracingTheObservationsGiveTimers() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        AetherAutoConfiguration.class))
                .withBean(Recording.class).run(context -> {
                    context.getBean(EventStore.class).saveEvent(event("order-1", 1));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(meters.get(AetherObservations.HANDLE)
                            .tags(AetherObservations.SUBSCRIBER_ID, "recording", AetherObservations.OUTCOME, "success")
                            .timer().count()).isEqualTo(1));
                    assertThat(meters.get(AetherObservations.SAVE).tags(AetherObservations.STORE_TYPE, "memory",
                            AetherObservations.EVENT_TYPE, "OrderPlaced", AetherObservations.OUTCOME, "success")
                            .timer().count()).isEqualTo(1);
                });
    }

    /** Writes a fixed {@code traceparent} into every sender's carrier, as a propagating tracer does. */
    static final class FakeTracer implements ObservationHandler<SenderContext<Object>> {
        @Override
        public void onStart(SenderContext<Object> context) {
            context.getSetter().set(context.getCarrier(), AetherObservations.TRACEPARENT, TRACEPARENT);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext;
        }
    }

    static class Recording {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "recording")
        void on(Event event) {
            events.add(event);
        }
    }
}
