package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.spring.AetherSubscriber;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read model behind the account list: one entry per account with its owner, balance and
 * version, kept up to date by an {@code @AetherSubscriber} method on the service's namespace
 * ({@code aether.namespace}). It starts from the beginning of the stream, so on JetStream each
 * instance rebuilds the whole list when it starts, including accounts opened by other instances
 * before it; the in-memory store starts empty with the process, so there is nothing to replay.
 *
 * <p>Delivery is at least once, so an event at or below an entry's version is ignored.
 */
@Component
public class AccountDirectory {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();

    /**
     * Receives the account events saved in the service's namespace.
     *
     * @param namespace the namespace the event was saved in
     * @param event     an account event
     */
    @AetherSubscriber(id = "account-directory", startFrom = AetherSubscriber.StartFrom.BEGINNING,
            eventTypes = {AccountEvents.OPENED, AccountEvents.DEPOSITED, AccountEvents.WITHDRAWN,
                    AccountEvents.FEE_CHARGED})
    public void on(String namespace, Event event) {
        received.incrementAndGet();
        entries.compute(event.actorId(), (id, entry) -> {
            if (entry != null && entry.version() >= event.version()) {
                return entry;
            }
            String owner = event.eventType().equals(AccountEvents.OPENED)
                    ? (String) event.data().get(AccountEvents.OWNER)
                    : entry != null ? entry.owner() : null;
            Object balance = event.data().get(AccountEvents.BALANCE);
            return new Entry(id, owner, balance instanceof Number number ? number.longValue() : 0, event.version(),
                    namespace);
        });
    }

    /** @return every known account, ordered by id */
    public List<Entry> entries() {
        return entries.values().stream().sorted(Comparator.comparing(Entry::id)).toList();
    }

    /** @return how many events this read model has received */
    public long received() {
        return received.get();
    }

    /**
     * One account in the list.
     *
     * @param id        the account id
     * @param owner     the holder; null when this process has not seen the opening event
     * @param balance   cents, after the last event seen
     * @param version   the last version seen
     * @param namespace the namespace its events arrive in
     */
    public record Entry(String id, String owner, long balance, long version, String namespace) {
    }
}
