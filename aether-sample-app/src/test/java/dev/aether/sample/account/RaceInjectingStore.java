package dev.aether.sample.account;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that, when armed for an account, lets "another writer" save a one-cent deposit right before
 * each of the next saves to that account, so that the save loses the race for its version exactly as
 * under real contention.
 */
public final class RaceInjectingStore implements SnapshotStore {

    private final SnapshotStore delegate;
    private final Map<String, AtomicInteger> racesLeft = new ConcurrentHashMap<>();

    /** @param delegate the real store */
    public RaceInjectingStore(SnapshotStore delegate) {
        this.delegate = delegate;
    }

    /**
     * Makes the next {@code races} saves to the account lose their race.
     *
     * @param accountId the account
     * @param races     how many saves lose
     */
    public void loseNextRaces(String accountId, int races) {
        racesLeft.put(accountId, new AtomicInteger(races));
    }

    @Override
    public void saveEvent(Event event) {
        loseRaceIfDue(event);
        delegate.saveEvent(event);
    }

    @Override
    public void saveEvents(List<Event> events) {
        loseRaceIfDue(events.get(0));
        delegate.saveEvents(events);
    }

    private void loseRaceIfDue(Event event) {
        AtomicInteger left = racesLeft.get(event.actorId());
        if (left != null && left.getAndDecrement() > 0) {
            long latest = delegate.getLatestVersion(event.actorId());
            long balance = Account.initial(event.actorId()).apply(delegate.getEvents(event.actorId(), latest).get(0))
                    .balance();
            delegate.saveEvent(Event.builder().eventType(AccountEvents.DEPOSITED).actorId(event.actorId())
                    .version(latest + 1).data(Map.of(AccountEvents.AMOUNT, 1, AccountEvents.BALANCE, balance + 1))
                    .metadata(CommandMetadata.ORIGIN, "another-writer").build());
        }
    }

    @Override
    public List<Event> getEvents(String actorId, long fromVersion) {
        return delegate.getEvents(actorId, fromVersion);
    }

    @Override
    public long getLatestVersion(String actorId) {
        return delegate.getLatestVersion(actorId);
    }

    @Override
    public void saveSnapshot(ActorSnapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<ActorSnapshot> getLatestSnapshot(String actorId) {
        return delegate.getLatestSnapshot(actorId);
    }
}
