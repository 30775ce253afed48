package dev.aether.sample.account;

/** Opening an account failed because its id already has events. */
public class AccountAlreadyExistsException extends RuntimeException {

    private final String accountId;
    private final long currentVersion;

    /**
     * @param accountId      the id
     * @param currentVersion the account's latest version
     * @param cause          the store's conflict
     */
    public AccountAlreadyExistsException(String accountId, long currentVersion, Throwable cause) {
        super("Account " + accountId + " already exists (version " + currentVersion + ")", cause);
        this.accountId = accountId;
        this.currentVersion = currentVersion;
    }

    /** @return the id */
    public String accountId() {
        return accountId;
    }

    /** @return the account's latest version */
    public long currentVersion() {
        return currentVersion;
    }
}
