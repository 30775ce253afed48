package dev.aether.sample.feed;

import dev.aether.sample.api.EventView;
import dev.aether.sample.api.InstanceName;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.List;

/** The live feed over HTTP: {@code GET /api/feed} streams events, {@code /api/feed/recent} lists the latest. */
@RestController
@RequestMapping("/api/feed")
public class LiveFeedController {

    private final LiveFeed feed;
    private final InstanceName instance;

    /**
     * @param feed     the feed
     * @param instance this instance's name, sent when a browser connects
     */
    public LiveFeedController(LiveFeed feed, InstanceName instance) {
        this.feed = feed;
        this.instance = instance;
    }

    /** @return a Server-Sent Events stream of saved events */
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream() {
        return feed.connect(instance.get());
    }

    /** @return the latest events, newest first */
    @GetMapping("/recent")
    public List<EventView> recent() {
        return feed.recent();
    }
}
