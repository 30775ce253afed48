package dev.aether.sample.payments;

import dev.aether.sample.api.EventView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /api/payments-log}: what the {@code payments.>} subscriber has received. */
@RestController
public class PaymentsLogController {

    private final PaymentsLog log;

    /** @param log the subscriber */
    public PaymentsLogController(PaymentsLog log) {
        this.log = log;
    }

    /** @return the pattern, the count and the latest events */
    @GetMapping("/api/payments-log")
    public Summary summary() {
        return new Summary(PaymentsLog.NAMESPACE_PATTERN, log.received(), log.recent());
    }

    /**
     * What the subscriber received.
     *
     * @param namespacePattern the pattern it listens to
     * @param received         how many events
     * @param recent           the latest, newest first
     */
    public record Summary(String namespacePattern, long received, List<EventView> recent) {
    }
}
