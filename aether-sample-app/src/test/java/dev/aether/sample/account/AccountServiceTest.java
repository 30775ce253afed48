package dev.aether.sample.account;

import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.memory.InMemoryEventStore;
import dev.aether.snapshot.ActorLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class AccountServiceTest {

    private static final CommandMetadata METADATA = new CommandMetadata("corr-1", "req-1", "ada", "test:0");

    private final InMemoryEventStore events = new InMemoryEventStore();
    private final RaceInjectingStore store = new RaceInjectingStore(events);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AccountRepository repository = new AccountRepository(store, new AccountProperties(3, 3));
    private final AccountService service = new AccountService(repository, new AccountProperties(3, 3), meters);

    @Test
    void reloadsAndDecidesAgainAfterLosingARace() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 100, METADATA);
        store.loseNextRaces("acc-1", 2);

        AccountService.CommandResult result = service.withdraw("acc-1", 50, 0, METADATA);

        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.event().version()).isEqualTo(5);
        assertThat(result.account().balance()).isEqualTo(100 + 2 - 50);
        assertThat(events.getEvents("acc-1", 1)).extracting(Event::version).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(meters.counter("sample.accounts.conflicts", "command", "Withdraw").count()).isEqualTo(2);
    }

    @Test
    void givesUpWithTheCurrentVersionWhenEveryAttemptLoses() {
        service.open("acc-1", "Ada", METADATA);
        store.loseNextRaces("acc-1", 3);

        assertThatThrownBy(() -> service.deposit("acc-1", 10, METADATA))
                .isInstanceOfSatisfying(ConcurrentUpdateException.class, ex -> {
                    assertThat(ex.attempts()).isEqualTo(3);
                    assertThat(ex.currentVersion()).isEqualTo(4);
                });
        assertThat(events.getEvents("acc-1", 1)).allSatisfy(
                event -> assertThat(event.metadata().get(CommandMetadata.ORIGIN)).isIn("test:0", "another-writer"))
                .noneMatch(event -> Long.valueOf(10).equals(event.data().get(AccountEvents.AMOUNT)));
    }

    @Test
    void decidesAgainstTheReloadedBalance() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 10, METADATA);
        store.loseNextRaces("acc-1", 1);

        AccountService.CommandResult result = service.withdraw("acc-1", 10, 0, METADATA);

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.account().balance()).as("10 + the other writer's 1 - 10").isEqualTo(1);
        assertThat(((Number) result.event().data().get(AccountEvents.BALANCE)).longValue()).isEqualTo(1);
    }

    @Test
    void savesAWithdrawalAndItsFeeInOneBatchWithTheCommandsMetadata() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 100, METADATA);

        AccountService.CommandResult result = service.withdraw("acc-1", 30, 5, METADATA);

        assertThat(result.events()).extracting(Event::eventType, Event::version)
                .containsExactly(tuple(AccountEvents.WITHDRAWN, 3L), tuple(AccountEvents.FEE_CHARGED, 4L));
        assertThat(result.event()).isEqualTo(result.events().get(0));
        assertThat(result.account()).isEqualTo(new Account("acc-1", "Ada", 65, 4));
        assertThat(events.getEvents("acc-1", 3)).isEqualTo(result.events())
                .allSatisfy(event -> assertThat(event.metadata()).containsEntry(CommandMetadata.COMMAND, "Withdraw")
                        .containsEntry(CommandMetadata.ATTEMPT, "1"));
    }

    @Test
    void aWithdrawalWithAFeeThatLosesItsRaceSavesNeitherEventAndDecidesBothAgain() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 100, METADATA);
        store.loseNextRaces("acc-1", 1);

        AccountService.CommandResult result = service.withdraw("acc-1", 30, 5, METADATA);

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(events.getEvents("acc-1", 1)).extracting(Event::eventType).containsExactly(AccountEvents.OPENED,
                AccountEvents.DEPOSITED, AccountEvents.DEPOSITED, AccountEvents.WITHDRAWN, AccountEvents.FEE_CHARGED);
        assertThat(result.account().balance()).as("100 + the other writer's 1 - 30 - 5").isEqualTo(66);
    }

    @Test
    void takesASnapshotWhenABatchPassesTheSnapshotVersion() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 100, METADATA);

        service.withdraw("acc-1", 30, 5, METADATA);

        assertThat(events.getLatestSnapshot("acc-1")).hasValueSatisfying(
                snapshot -> assertThat(snapshot.version()).as("versions 3 and 4 in one batch").isEqualTo(4));
    }

    @Test
    void savesASnapshotEveryNVersionsAndRebuildsFromIt() {
        service.open("acc-1", "Ada", METADATA);
        for (int i = 0; i < 4; i++) {
            service.deposit("acc-1", 10, METADATA);
        }

        assertThat(events.getLatestSnapshot("acc-1")).hasValueSatisfying(
                snapshot -> assertThat(snapshot.version()).isEqualTo(3));
        AccountRepository.LoadedAccount loaded = repository.load("acc-1").orElseThrow();
        assertThat(loaded.snapshotVersion()).isEqualTo(3);
        assertThat(loaded.eventsReplayed()).isEqualTo(2);
        assertThat(loaded.account()).isEqualTo(new Account("acc-1", "Ada", 40, 5));
    }

    @Test
    void ignoresASnapshotOfAnotherShapeAndReplacesItOnLoad() {
        service.open("acc-1", "Ada", METADATA);
        service.deposit("acc-1", 10, METADATA);
        service.deposit("acc-1", 10, METADATA);
        events.saveSnapshot(new ActorSnapshot("acc-1", 3, Map.of(AccountEvents.OWNER, "Eve", AccountEvents.BALANCE, 999)));

        AccountRepository.LoadedAccount loaded = repository.load("acc-1").orElseThrow();

        assertThat(loaded.account()).isEqualTo(new Account("acc-1", "Ada", 20, 3));
        assertThat(loaded.eventsReplayed()).isEqualTo(3);
        assertThat(events.getLatestSnapshot("acc-1")).hasValueSatisfying(
                snapshot -> assertThat(snapshot.state()).containsKey(ActorLoader.STATE_VERSION));
        assertThat(repository.load("acc-1").orElseThrow().eventsReplayed()).isZero();
    }

    @Test
    void writesCorrelationCausationAndOriginIntoEveryEvent() {
        service.open("acc-1", "Ada", METADATA);

        Event opened = events.getEvents("acc-1", 1).get(0);
        assertThat(opened.correlationId()).hasValue("corr-1");
        assertThat(opened.causationId()).hasValue("req-1");
        assertThat(opened.userId()).hasValue("ada");
        assertThat(opened.metadata()).containsEntry(CommandMetadata.ORIGIN, "test:0")
                .containsEntry(CommandMetadata.COMMAND, "Open").containsEntry(CommandMetadata.ATTEMPT, "1");
    }

    @Test
    void refusesToOpenAnIdThatHasEvents() {
        service.open("acc-1", "Ada", METADATA);

        assertThatThrownBy(() -> service.open("acc-1", "Bob", METADATA))
                .isInstanceOfSatisfying(AccountAlreadyExistsException.class,
                        ex -> assertThat(ex.currentVersion()).isEqualTo(1));
    }
}
