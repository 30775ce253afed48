package dev.aether.sample.account;

import dev.aether.Event;

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
            case AccountEvents.DEPOSITED, AccountEvents.WITHDRAWN -> new Account(id, owner,
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
        if (amount > balance) {
            throw new InsufficientFundsException(id, balance, amount, version);
        }
        return next(AccountEvents.WITHDRAWN, Map.of(AccountEvents.AMOUNT, amount,
                AccountEvents.BALANCE, balance - amount));
    }

    private Event.Builder next(String eventType, Map<String, Object> data) {
        return Event.builder().eventType(eventType).actorId(id).version(version + 1).data(data);
    }
}
