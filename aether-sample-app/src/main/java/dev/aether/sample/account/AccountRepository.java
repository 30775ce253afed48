package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.StoreUnavailableException;
import dev.aether.snapshot.ActorLoader;
import dev.aether.snapshot.LoadedActor;
import dev.aether.snapshot.SnapshotPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Loads accounts from the event store and saves their events. An {@link ActorLoader} rebuilds an account
 * from its latest snapshot, when there is one, plus the events after it; a snapshot is saved whenever
 * the version reaches a multiple of {@link AccountProperties#snapshotEvery()}, and on a load that found
 * no usable snapshot that many versions back.
 */
@Component
public class AccountRepository {

    private static final Log logger = LogFactory.getLog(AccountRepository.class);

    private final SnapshotStore store;
    private final int snapshotEvery;
    private final ActorLoader<Account> loader;

    /**
     * @param store      the event and snapshot store
     * @param properties the snapshot interval
     */
    public AccountRepository(SnapshotStore store, AccountProperties properties) {
        this.store = store;
        this.snapshotEvery = properties.snapshotEvery();
        this.loader = ActorLoader.builder(store, Account.class).initialState(Account::initial).fold(Account::apply)
                .policy(SnapshotPolicy.everyEvents(snapshotEvery)).build();
    }

    /**
     * Rebuilds an account.
     *
     * @param accountId the account
     * @return the account and how it was rebuilt, or empty when the account has no events
     */
    public Optional<LoadedAccount> load(String accountId) {
        LoadedActor<Account> loaded = loader.load(accountId);
        if (!loaded.exists()) {
            return Optional.empty();
        }
        return Optional.of(new LoadedAccount(loaded.state(), loaded.snapshotVersion(), loaded.eventsReplayed()));
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
                store.saveSnapshot(loader.snapshotOf(next.id(), next.version(), next));
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
