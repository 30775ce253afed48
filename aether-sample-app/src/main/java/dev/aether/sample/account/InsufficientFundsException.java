package dev.aether.sample.account;

/** A withdrawal asked for more than the balance; nothing was saved. */
public class InsufficientFundsException extends RuntimeException {

    private final String accountId;
    private final long balance;
    private final long requested;
    private final long version;

    /**
     * @param accountId the account
     * @param balance   its balance in cents
     * @param requested the amount asked for, in cents
     * @param version   the account's version the decision was made on
     */
    public InsufficientFundsException(String accountId, long balance, long requested, long version) {
        super("Account " + accountId + " has a balance of " + balance + " cents, less than the " + requested
                + " cents requested");
        this.accountId = accountId;
        this.balance = balance;
        this.requested = requested;
        this.version = version;
    }

    /** @return the account */
    public String accountId() {
        return accountId;
    }

    /** @return the balance in cents */
    public long balance() {
        return balance;
    }

    /** @return the amount asked for, in cents */
    public long requested() {
        return requested;
    }

    /** @return the version the decision was made on */
    public long version() {
        return version;
    }
}
