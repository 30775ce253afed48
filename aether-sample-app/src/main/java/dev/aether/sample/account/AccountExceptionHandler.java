package dev.aether.sample.account;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps the account service's refusals to problem details: 404 unknown account, 409 lost race or
 * existing id (with the current version), 422 insufficient funds.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AccountExceptionHandler {

    /**
     * @param ex an unknown account
     * @return 404
     */
    @ExceptionHandler(AccountNotFoundException.class)
    public ProblemDetail notFound(AccountNotFoundException ex) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown account", ex);
        problem.setProperty("accountId", ex.accountId());
        return problem;
    }

    /**
     * @param ex a command that lost its race on every attempt
     * @return 409 with the current version and the attempts made
     */
    @ExceptionHandler(ConcurrentUpdateException.class)
    public ProblemDetail concurrentUpdate(ConcurrentUpdateException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Concurrent update", ex);
        problem.setProperty("accountId", ex.accountId());
        problem.setProperty("currentVersion", ex.currentVersion());
        problem.setProperty("attempts", ex.attempts());
        return problem;
    }

    /**
     * @param ex an id that is taken
     * @return 409 with the current version
     */
    @ExceptionHandler(AccountAlreadyExistsException.class)
    public ProblemDetail alreadyExists(AccountAlreadyExistsException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Account already exists", ex);
        problem.setProperty("accountId", ex.accountId());
        problem.setProperty("currentVersion", ex.currentVersion());
        return problem;
    }

    /**
     * @param ex a withdrawal above the balance
     * @return 422 with the balance
     */
    @ExceptionHandler(InsufficientFundsException.class)
    public ProblemDetail insufficientFunds(InsufficientFundsException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Insufficient funds", ex);
        problem.setProperty("accountId", ex.accountId());
        problem.setProperty("balance", ex.balance());
        problem.setProperty("requested", ex.requested());
        problem.setProperty("currentVersion", ex.version());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, RuntimeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
        problem.setTitle(title);
        return problem;
    }
}
