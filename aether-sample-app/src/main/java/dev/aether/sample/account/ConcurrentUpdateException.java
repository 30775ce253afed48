package dev.aether.sample.account;

import dev.aether.VersionConflictException;

/**
 * A command lost the race for the account's next version on every attempt: other writers kept saving
 * first. Nothing of this command was saved; the caller may try again.
 */
public class ConcurrentUpdateException extends RuntimeException {

    private final String accountId;
    private final int attempts;
    private final long currentVersion;

    /**
     * @param accountId the account
     * @param attempts  how many times the command was decided and saved
     * @param last      the conflict of the last attempt
     */
    public ConcurrentUpdateException(String accountId, int attempts, VersionConflictException last) {
        super("Account " + accountId + " was changed by other writers during each of " + attempts
                + " attempts; its current version is " + last.currentVersion(), last);
        this.accountId = accountId;
        this.attempts = attempts;
        this.currentVersion = last.currentVersion();
    }

    /** @return the account */
    public String accountId() {
        return accountId;
    }

    /** @return how many attempts were made */
    public int attempts() {
        return attempts;
    }

    /** @return the account's version as the store reported it on the last conflict */
    public long currentVersion() {
        return currentVersion;
    }
}
