package dev.aether.spring.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import dev.aether.Event;
import dev.aether.EventStore;
import dev.aether.spring.AetherSubscriber;
import dev.aether.spring.observation.AetherObservations;
import dev.aether.test.nats.NatsServerExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications on one nats-server, each with Boot's tracing (Brave) and its own in-memory span
 * handler: a save inside a traced request in the writer continues as the {@code aether.handle} span
 * of the subscriber, which logs with the writer's trace id. Nothing but the event travels between them.
 */
class TracingAcrossApplicationsTests {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theSubscribersHandleSpanContinuesTheWritersTrace() {
        try (ConfigurableApplicationContext subscriber = start("aether.subscribers.enabled=true");
             ConfigurableApplicationContext writer = start("aether.subscribers.enabled=false")) {
            Tracer tracer = writer.getBean(Tracer.class);
            String[] traceId = new String[1];
            Observation.createNotStarted("checkout", writer.getBean(ObservationRegistry.class)).observe(() -> {
                traceId[0] = tracer.currentSpan().context().traceId();
                writer.getBean(EventStore.class).saveEvent(
                        Event.builder().eventType("OrderPlaced").actorId("order-1").version(1).build());
            });

            Handler handler = subscriber.getBean(Handler.class);
            await().atMost(WAIT).untilAsserted(() -> assertThat(handler.traceIdsInLogs).hasSize(1));
            assertThat(handler.traceIdsInLogs).containsExactly(traceId[0]);
            assertThat(handler.metadata.get(0)).containsKey(AetherObservations.TRACEPARENT);

            MutableSpan save = span(writer, "aether save OrderPlaced");
            await().atMost(WAIT).untilAsserted(() -> assertThat(spans(subscriber)).isNotEmpty());
            MutableSpan handle = span(subscriber, "aether handle OrderPlaced");
            assertThat(save.traceId()).isEqualTo(traceId[0]);
            assertThat(save.kind()).isEqualTo(brave.Span.Kind.PRODUCER);
            assertThat(handle.traceId()).isEqualTo(traceId[0]);
            assertThat(handle.parentId()).isEqualTo(save.id());
            assertThat(handle.kind()).isEqualTo(brave.Span.Kind.CONSUMER);
            assertThat(handle.tag(AetherObservations.SUBSCRIBER_ID)).isEqualTo("handler");
            assertThat(handle.tag(AetherObservations.STORE_TYPE)).isEqualTo("jetstream");

            writer.getBean(EventStore.class).saveEvent(
                    Event.builder().eventType("OrderPlaced").actorId("order-2").version(1).build());
            await().atMost(WAIT).untilAsserted(() -> assertThat(handler.metadata).hasSize(2));
            assertThat(handler.metadata.get(1)).doesNotContainKey(AetherObservations.TRACEPARENT);
            assertThat(handler.traceIdsInLogs.get(1)).isNotEqualTo(traceId[0]);
        }
    }

    private static MutableSpan span(ConfigurableApplicationContext context, String name) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(spans(context)).extracting(MutableSpan::name).contains(name));
        return spans(context).stream().filter(span -> name.equals(span.name())).findFirst().orElseThrow();
    }

    private static List<MutableSpan> spans(ConfigurableApplicationContext context) {
        return context.getBean(FinishedSpans.class).spans;
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TracedApplication.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "aether.store.type=jetstream",
                        "aether.nats.servers=" + NATS.url(), "aether.nats.drain-timeout=2s",
                        "management.tracing.sampling.probability=1.0")
                .properties(properties).run();
    }

    /** An application with Boot's tracing and a subscriber. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Handler.class)
    static class TracedApplication {
        @Bean
        FinishedSpans finishedSpans() {
            return new FinishedSpans();
        }
    }

    /** Keeps every finished span in memory, in place of an exporter. */
    static class FinishedSpans extends SpanHandler {
        final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            spans.add(span);
            return true;
        }
    }

    /** A subscriber that notes the trace id its log lines carry. */
    @Component
    static class Handler {
        final List<String> traceIdsInLogs = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> metadata = new CopyOnWriteArrayList<>();

        @AetherSubscriber(id = "handler", eventTypes = "OrderPlaced")
        void on(Event event) {
            metadata.add(event.metadata());
            traceIdsInLogs.add(String.valueOf(MDC.get("traceId")));
        }
    }
}
