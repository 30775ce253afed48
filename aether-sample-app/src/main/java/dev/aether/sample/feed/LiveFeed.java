package dev.aether.sample.feed;

import dev.aether.Event;
import dev.aether.sample.api.EventView;
import dev.aether.sample.api.RecentEvents;
import dev.aether.spring.AetherSubscriber;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pushes every event saved in the service's namespace, by any process, to the browsers connected
 * to {@code /api/feed} as Server-Sent Events named {@value #EVENT_NAME}, and keeps the last
 * {@value #RECENT} for pages that connect later.
 */
@Component
public class LiveFeed implements ApplicationListener<ContextClosedEvent> {

    /** The SSE event name of a saved event; its data is an {@link EventView} as JSON. */
    public static final String EVENT_NAME = "event";
    /** The SSE event name sent once when a browser connects; its data is the instance name. */
    public static final String READY_NAME = "ready";
    /** How many recent events are kept. */
    public static final int RECENT = 50;

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final RecentEvents recent = new RecentEvents(RECENT);

    /**
     * Receives every event of the service's namespace.
     *
     * @param namespace the namespace it was saved in
     * @param event     the event
     */
    @AetherSubscriber(id = "live-feed")
    public void on(String namespace, Event event) {
        EventView view = EventView.of(namespace, event);
        recent.add(view);
        for (SseEmitter emitter : emitters) {
            send(emitter, SseEmitter.event().name(EVENT_NAME).id(event.id()).data(view, MediaType.APPLICATION_JSON));
        }
    }

    /**
     * Connects a browser.
     *
     * @param instance this instance's name, sent as the first message
     * @return an emitter that stays open until the browser leaves or the service stops
     */
    public SseEmitter connect(String instance) {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        emitters.add(emitter);
        send(emitter, SseEmitter.event().name(READY_NAME).data(instance).reconnectTime(2000));
        return emitter;
    }

    /** @return the latest events, newest first */
    public List<EventView> recent() {
        return recent.list();
    }

    /** @return how many browsers are connected */
    public int connections() {
        return emitters.size();
    }

    /** Ends every stream, so that the web server's graceful shutdown need not wait for them. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    private void send(SseEmitter emitter, SseEmitter.SseEventBuilder message) {
        try {
            emitter.send(message);
        } catch (IOException | IllegalStateException ex) {
            // The browser went away; the emitter is done.
            emitters.remove(emitter);
        }
    }
}
