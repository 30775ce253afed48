package dev.aether.sample.account;

import dev.aether.Event;

import java.util.List;
import java.util.Map;

/**
 * The state of one bank account, folded from its events. Version 0 means the account does not exist
 * yet. Amounts are in cents.
 *
 * @param id      the account id (the actor id in the store)
 * @param owner   the account holder, null before the account is opened
 * @param balance the balance in cents, never negative
 * @param version the version of the last event folded in
 */
public record Account(String id, String owner, long balance, long version) {

    /**
     * The state before any event.
     *
     * @param id the account id
     * @return an account at version 0
     */
    public static Account initial(String id) {
        return new Account(id, null, 0, 0);
    }

    /** @return whether the account has been opened */
    public boolean exists() {
        return version > 0;
    }

    /**
     * Folds one event into the state.
     *
     * @param event the next event of this account
     * @return the state after the event
     * @throws IllegalStateException if the event is of a type an account does not know
     */
    public Account apply(Event event) {
        return switch (event.eventType()) {
            case AccountEvents.OPENED -> new Account(id, (String) event.data().get(AccountEvents.OWNER), 0,
                    event.version());
            case AccountEvents.DEPOSITED, AccountEvents.WITHDRAWN, AccountEvents.FEE_CHARGED -> new Account(id, owner,
                    ((Number) event.data().get(AccountEvents.BALANCE)).longValue(), event.version());
            default -> throw new IllegalStateException("Account " + id + " has an event of unknown type "
                    + event.eventType() + " at version " + event.version());
        };
    }

    /**
     * Decides a deposit.
     *
     * @param amount the amount in cents, positive
     * @return the event to save at {@code version + 1}
     */
    public Event.Builder deposit(long amount) {
        return next(AccountEvents.DEPOSITED, Map.of(AccountEvents.AMOUNT, amount,
                AccountEvents.BALANCE, Math.addExact(balance, amount)));
    }

    /**
     * Decides a withdrawal.
     *
     * @param amount the amount in cents, positive
     * @return the event to save at {@code version + 1}
     * @throws InsufficientFundsException if the balance is below the amount
     */
    public Event.Builder withdraw(long amount) {
        return withdraw(amount, 0).get(0);
    }

    /**
     * Decides a withdrawal that also charges a fee: {@value AccountEvents#WITHDRAWN} at
     * {@code version + 1} and, when the fee is positive, {@value AccountEvents#FEE_CHARGED} at
     * {@code version + 2}, to be saved together (both or neither).
     *
     * @param amount the amount in cents, positive
     * @param fee    the fee in cents, 0 for none
     * @return the events to save in one batch, in version order
     * @throws InsufficientFundsException if the balance is below the amount plus the fee
     */
    public List<Event.Builder> withdraw(long amount, long fee) {
        long total = Math.addExact(amount, fee);
        if (total > balance) {
            throw new InsufficientFundsException(id, balance, total, version);
        }
        Event.Builder withdrawn = next(AccountEvents.WITHDRAWN, Map.of(AccountEvents.AMOUNT, amount,
                AccountEvents.BALANCE, balance - amount));
        if (fee == 0) {
            return List.of(withdrawn);
        }
        return List.of(withdrawn, Event.builder().eventType(AccountEvents.FEE_CHARGED).actorId(id).version(version + 2)
                .data(Map.of(AccountEvents.AMOUNT, fee, AccountEvents.BALANCE, balance - total)));
    }

    private Event.Builder next(String eventType, Map<String, Object> data) {
        return Event.builder().eventType(eventType).actorId(id).version(version + 1).data(data);
    }
}
