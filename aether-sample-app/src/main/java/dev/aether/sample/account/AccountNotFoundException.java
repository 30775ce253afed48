package dev.aether.sample.account;

/** No account has this id: the store holds no event for it. */
public class AccountNotFoundException extends RuntimeException {

    private final String accountId;

    /** @param accountId the id asked for */
    public AccountNotFoundException(String accountId) {
        super("No account with id " + accountId);
        this.accountId = accountId;
    }

    /** @return the id asked for */
    public String accountId() {
        return accountId;
    }
}
