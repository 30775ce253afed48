package dev.aether.upcast;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.SubscriptionFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpcasterChainTest {

    private static final EventUpcaster ADD_CURRENCY = EventUpcaster.of("MoneyDeposited", 1,
            data -> with(data, "currency", "EUR"));
    private static final EventUpcaster CENTS = EventUpcaster.of("MoneyDeposited", 2,
            data -> with(data, "amount", ((Number) data.get("amount")).longValue() * 100));

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(data);
        copy.put(key, value);
        return copy;
    }

    private static Event deposited(Map<String, String> metadata) {
        return Event.builder().id("e-1").eventType("MoneyDeposited").actorId("account-1").version(3)
                .data(Map.of("amount", 5)).metadata(metadata).build();
    }

    @Test
    void bringsAnEventWithoutASchemaVersionFromVersionOneToThree() {
        Event stored = deposited(Map.of("correlationId", "c"));

        Event read = UpcasterChain.of(List.of(CENTS, ADD_CURRENCY)).upcast(stored);

        assertThat(read.data()).isEqualTo(Map.of("amount", 500, "currency", "EUR"));
        assertThat(SchemaVersion.of(read)).isEqualTo(3);
        assertThat(read.metadata()).containsEntry("correlationId", "c");
        assertThat(List.of(read.id(), read.actorId(), read.version(), read.timestamp()))
                .isEqualTo(List.of(stored.id(), stored.actorId(), stored.version(), stored.timestamp()));
    }

    @Test
    void startsAtTheStoredSchemaVersionAndLeavesCurrentEventsAlone() {
        UpcasterChain chain = UpcasterChain.of(List.of(ADD_CURRENCY, CENTS));
        Event atTwo = deposited(Map.of(SchemaVersion.KEY, "2"));
        Event atThree = deposited(Map.of(SchemaVersion.KEY, "3"));

        assertThat(chain.upcast(atTwo).data()).isEqualTo(Map.of("amount", 500));
        assertThat(chain.upcast(atThree)).isSameAs(atThree);
    }

    @Test
    void followsARenameIntoTheNewTypesSteps() {
        UpcasterChain chain = UpcasterChain.of(List.of(
                EventUpcaster.renaming("Deposited", 1, "MoneyDeposited", data -> with(data, "currency", "EUR")),
                ADD_CURRENCY, CENTS));
        Event old = Event.builder().eventType("Deposited").actorId("account-1").version(1)
                .data(Map.of("amount", 5)).build();

        Event read = chain.upcast(old);

        assertThat(read.eventType()).isEqualTo("MoneyDeposited");
        assertThat(read.data()).isEqualTo(Map.of("amount", 500, "currency", "EUR"));
        assertThat(SchemaVersion.of(read)).isEqualTo(3);
        assertThat(chain.typesUpcastingTo(Set.of("MoneyDeposited"))).containsExactlyInAnyOrder("MoneyDeposited", "Deposited");
    }

    @Test
    void aGapBetweenStepsIsAnErrorWhenTheChainIsBuilt() {
        EventUpcaster fromThree = EventUpcaster.of("MoneyDeposited", 3, data -> data);

        assertThatThrownBy(() -> UpcasterChain.of(List.of(ADD_CURRENCY, fromThree)))
                .isInstanceOf(MissingUpcasterException.class)
                .hasMessageStartingWith("No upcaster takes MoneyDeposited from schema version 2 to 3");
    }

    @Test
    void aRenameIntoAVersionBelowTheNewTypesFirstStepIsAnErrorWhenTheChainIsBuilt() {
        EventUpcaster rename = EventUpcaster.renaming("Deposited", 1, "MoneyDeposited", data -> data);
        EventUpcaster fromThree = EventUpcaster.of("MoneyDeposited", 3, data -> data);

        assertThatThrownBy(() -> UpcasterChain.of(List.of(rename, fromThree)))
                .isInstanceOf(MissingUpcasterException.class)
                .hasMessageStartingWith("No upcaster takes MoneyDeposited from schema version 2 to 3");
    }

    @Test
    void aGapBelowTheFirstStepIsAnErrorOnReadNamingTheTypeAndBothVersions() {
        UpcasterChain chain = UpcasterChain.of(List.of(CENTS));

        assertThatThrownBy(() -> chain.upcast(deposited(Map.of()))).isInstanceOf(MissingUpcasterException.class)
                .hasMessageStartingWith("No upcaster takes MoneyDeposited from schema version 1 to 2")
                .hasMessageContaining("event e-1")
                .satisfies(ex -> assertThat(((MissingUpcasterException) ex).toVersion()).isEqualTo(2));
    }

    @Test
    void refusesTwoStepsFromTheSameVersionAndAMalformedSchemaVersion() {
        assertThatThrownBy(() -> UpcasterChain.of(List.of(ADD_CURRENCY, EventUpcaster.of("MoneyDeposited", 1, d -> d))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Two upcasters read MoneyDeposited at schema version 1");
        assertThatThrownBy(() -> UpcasterChain.of(List.of(ADD_CURRENCY)).upcast(deposited(Map.of(SchemaVersion.KEY, "v2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata['schemaVersion'] of event e-1 must be an integer of at least 1");
    }

    @Test
    void anEmptyChainReturnsEveryEventAsItIs() {
        Event stored = deposited(Map.of());

        assertThat(UpcasterChain.empty().upcast(stored)).isSameAs(stored);
        assertThat(UpcasterChain.of(List.of(ADD_CURRENCY)).upcast(stored.toBuilder().eventType("Other").build()).data())
                .isEqualTo(Map.of("amount", 5));
    }

    @Test
    void aSubscriptionFilterIsWidenedToOldNamesAndAppliedToTheUpcastEvent() {
        UpcasterChain chain = UpcasterChain.of(List.of(
                EventUpcaster.renaming("Deposited", 1, "MoneyDeposited", data -> data)));
        SubscriptionFilter today = SubscriptionFilter.eventTypes("MoneyDeposited").withActorPattern("account.*");
        List<String> received = new ArrayList<>();
        EventHandler handler = chain.handler(today, (namespace, event) -> received.add(event.eventType()));

        handler.handle("bank", Event.builder().eventType("Deposited").actorId("account.1").version(1).build());
        handler.handle("bank", Event.builder().eventType("Withdrawn").actorId("account.1").version(2).build());

        assertThat(chain.storedFilter(today)).isEqualTo(new SubscriptionFilter(Set.of("MoneyDeposited", "Deposited"),
                "account.*"));
        assertThat(chain.storedFilter(SubscriptionFilter.all())).isEqualTo(SubscriptionFilter.all());
        assertThat(received).containsExactly("MoneyDeposited");
    }
}
