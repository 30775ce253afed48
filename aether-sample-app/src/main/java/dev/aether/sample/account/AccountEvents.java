package dev.aether.sample.account;

/**
 * The event types of a bank account and the keys of their data. Every event carries the balance
 * after it, so that a read model never has to replay an account to show it.
 */
public final class AccountEvents {

    /** An account was opened; data: {@value #OWNER}. */
    public static final String OPENED = "AccountOpened";
    /** Money was paid in; data: {@value #AMOUNT}, {@value #BALANCE}. */
    public static final String DEPOSITED = "MoneyDeposited";
    /** Money was taken out; data: {@value #AMOUNT}, {@value #BALANCE}. */
    public static final String WITHDRAWN = "MoneyWithdrawn";
    /**
     * The bank charged a fee; data: {@value #AMOUNT}, {@value #BALANCE}. Saved in one batch with the
     * {@value #WITHDRAWN} event that caused it, so an account has both or neither.
     */
    public static final String FEE_CHARGED = "FeeCharged";

    /** Data key: the account holder's name. */
    public static final String OWNER = "owner";
    /** Data key: the amount moved, in cents, always positive. */
    public static final String AMOUNT = "amount";
    /** Data key: the balance after the event, in cents, never negative. */
    public static final String BALANCE = "balance";

    private AccountEvents() {
    }
}
