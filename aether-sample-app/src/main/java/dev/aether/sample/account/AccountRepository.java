package dev.aether.sample.account;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.StoreUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Loads accounts from the event store and saves their events. An account is rebuilt from its latest
 * snapshot, when there is one, plus the events after it; a snapshot is saved whenever the version
 * reaches a multiple of {@link AccountProperties#snapshotEvery()}.
 */
@Component
public class AccountRepository {

    private static final Log logger = LogFactory.getLog(AccountRepository.class);

    private final SnapshotStore store;
    private final int snapshotEvery;

    /**
     * @param store      the event and snapshot store
     * @param properties the snapshot interval
     */
    public AccountRepository(SnapshotStore store, AccountProperties properties) {
        this.store = store;
        this.snapshotEvery = properties.snapshotEvery();
    }

    /**
     * Rebuilds an account.
     *
     * @param accountId the account
     * @return the account and how it was rebuilt, or empty when the account has no events
     */
    public Optional<LoadedAccount> load(String accountId) {
        Optional<ActorSnapshot> snapshot = store.getLatestSnapshot(accountId);
        Account account = snapshot.map(Account::fromSnapshot).orElseGet(() -> Account.initial(accountId));
        List<Event> events = store.getEvents(accountId, account.version() + 1);
        for (Event event : events) {
            account = account.apply(event);
        }
        if (!account.exists()) {
            return Optional.empty();
        }
        return Optional.of(new LoadedAccount(account, snapshot.map(ActorSnapshot::version).orElse(0L), events.size()));
    }

    /**
     * The account's events.
     *
     * @param accountId   the account
     * @param fromVersion the first version wanted
     * @return its events from that version, ascending
     */
    public List<Event> events(String accountId, long fromVersion) {
        return store.getEvents(accountId, fromVersion);
    }

    /**
     * Saves the next events of an account in one batch (all or none) and, whenever the version
     * reaches or passes a multiple of {@code snapshotEvery}, a snapshot.
     *
     * @param current the state the events were decided on
     * @param events  one command's events, from {@code current.version() + 1} upwards
     * @return the state after the events
     * @throws dev.aether.VersionConflictException if another writer saved that version first
     */
    public Account append(Account current, List<Event> events) {
        store.saveEvents(events);
        Account next = current;
        for (Event event : events) {
            next = next.apply(event);
        }
        if (next.version() / snapshotEvery > current.version() / snapshotEvery) {
            try {
                store.saveSnapshot(next.toSnapshot());
            } catch (StoreUnavailableException ex) {
                // A snapshot only speeds up loading; the event is saved, so the command succeeded.
                logger.warn("Could not save the snapshot of account " + next.id() + " at version " + next.version()
                        + ": " + ex.getMessage());
            }
        }
        return next;
    }

    /**
     * An account and how it was rebuilt.
     *
     * @param account         the state
     * @param snapshotVersion the version of the snapshot it started from, 0 when it started from nothing
     * @param eventsReplayed  how many events were folded in after the snapshot
     */
    public record LoadedAccount(Account account, long snapshotVersion, int eventsReplayed) {
    }
}
