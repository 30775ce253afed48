package dev.aether.sample.account;

import dev.aether.Event;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class AccountTest {

    private final Account opened = Account.initial("acc-1").apply(Event.builder().eventType(AccountEvents.OPENED)
            .actorId("acc-1").version(1).data(Map.of(AccountEvents.OWNER, "Ada")).build());

    @Test
    void foldsDepositsAndWithdrawalsIntoTheBalanceAndVersion() {
        Account afterDeposit = opened.apply(opened.deposit(500).build());
        Account afterWithdrawal = afterDeposit.apply(afterDeposit.withdraw(200).build());

        assertThat(afterWithdrawal).isEqualTo(new Account("acc-1", "Ada", 300, 3));
    }

    @Test
    void decidesAWithdrawalAndItsFeeAsTwoConsecutiveEvents() {
        Account funded = opened.apply(opened.deposit(500).build());

        List<Event> events = funded.withdraw(200, 15).stream().map(Event.Builder::build).toList();

        assertThat(events).extracting(Event::eventType, Event::version)
                .containsExactly(tuple(AccountEvents.WITHDRAWN, 3L), tuple(AccountEvents.FEE_CHARGED, 4L));
        assertThat(events.get(1).data()).containsEntry(AccountEvents.AMOUNT, 15).containsEntry(AccountEvents.BALANCE, 285);
        assertThat(funded.apply(events.get(0)).apply(events.get(1))).isEqualTo(new Account("acc-1", "Ada", 285, 4));
        assertThat(funded.withdraw(200, 0)).singleElement()
                .satisfies(withdrawal -> assertThat(withdrawal.build().eventType()).isEqualTo(AccountEvents.WITHDRAWN));
    }

    @Test
    void refusesAWithdrawalWhoseFeeTakesItAboveTheBalance() {
        Account funded = opened.apply(opened.deposit(100).build());

        assertThatThrownBy(() -> funded.withdraw(95, 6))
                .isInstanceOfSatisfying(InsufficientFundsException.class, ex -> {
                    assertThat(ex.balance()).isEqualTo(100);
                    assertThat(ex.requested()).isEqualTo(101);
                });
        assertThat(funded.withdraw(95, 5)).hasSize(2);
    }

    @Test
    void decidesTheNextVersion() {
        assertThat(opened.deposit(1).build().version()).isEqualTo(2);
    }

    @Test
    void refusesAWithdrawalAboveTheBalance() {
        Account funded = opened.apply(opened.deposit(100).build());

        assertThatThrownBy(() -> funded.withdraw(101))
                .isInstanceOfSatisfying(InsufficientFundsException.class, ex -> {
                    assertThat(ex.balance()).isEqualTo(100);
                    assertThat(ex.requested()).isEqualTo(101);
                    assertThat(ex.version()).isEqualTo(2);
                });
    }

    @Test
    void rejectsAnEventTypeItDoesNotKnow() {
        Event unknown = Event.builder().eventType("Frozen").actorId("acc-1").version(2).build();

        assertThatThrownBy(() -> opened.apply(unknown)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Frozen").hasMessageContaining("acc-1");
    }
}
