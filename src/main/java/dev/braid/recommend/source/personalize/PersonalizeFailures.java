package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.RetryAfter;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What an AWS SDK failure means for Braid (see {@link SourceException}): a timeout, a cancelled call, a full pool, a
 * throttle with its Retry-After, a failure a retry may fix, or one it will not.
 */
final class PersonalizeFailures {
    private PersonalizeFailures() {
    }

    /**
     * @param poolWait how long a call waits for a pooled connection, for the message of a full pool
     */
    static SourceException of(SourceId id, SdkException e, Duration poolWait) {
        if (e instanceof AwsServiceException service) {
            return serviceFailure(id, service);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new SourceException(SourceStatus.TIMEOUT, id + ": no answer within the call's time limit", e);
        }
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted() || causedBy(e, InterruptedException.class)) {
            // Our thread was interrupted (the fan-out cancels what is still running at the deadline). The SDK keeps the
            // interrupt flag set for the caller to see.
            return new SourceException(SourceStatus.TIMEOUT, id + ": cancelled", e);
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (PersonalizeClients.poolTimeout(cause)) {
                return new SourceException(SourceStatus.REJECTED, id + ": no free connection in the pool within "
                                                                  + poolWait.toMillis() + "ms", e);
            }
            if (PersonalizeClients.connectTimeout(cause) || cause instanceof ConnectException) {
                return SourceException.transientError(id + ": cannot connect: " + cause.getMessage(), e);
            }
            if (cause instanceof SocketTimeoutException) {
                return new SourceException(SourceStatus.TIMEOUT, id + ": timed out waiting for the answer", e);
            }
            if (isJson(cause)) {
                return new SourceException(SourceStatus.ERROR, id + " sent a body that is not its JSON answer: "
                                                               + cause.getMessage(), e);
            }
            if (cause instanceof IOException) {
                // A reset, closed or half-answered connection: the next one may well work.
                return SourceException.transientError(id + ": " + cause, e);
            }
        }
        // Anything else the SDK could not make sense of (an unreadable answer, a client misconfiguration).
        return new SourceException(SourceStatus.ERROR, id + ": " + e.getMessage(), e);
    }

    private static SourceException serviceFailure(SourceId id, AwsServiceException e) {
        int status = e.statusCode();
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        String what = id + " answered HTTP " + status + (code == null ? "" : " " + code)
                      + (details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage());
        if (e.isThrottlingException() || status == 429) {
            String header = details == null || details.sdkHttpResponse() == null ? null
                    : details.sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null);
            return SourceException.throttled(what + (header == null ? "" : " (Retry-After " + header + ")"),
                                             RetryAfter.parse(header).orElse(null), e);
        }
        if (status >= 500) {
            return SourceException.transientError(what, e);
        }
        // InvalidInput, ResourceNotFound, access denied...: asking again will not help.
        return new SourceException(SourceStatus.ERROR, what, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The SDK parses with its own (shaded) Jackson; a parse failure is a broken body, not a broken connection. */
    private static boolean isJson(Throwable cause) {
        for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().endsWith(".jackson.core.JsonProcessingException")) {
                return true;
            }
        }
        return false;
    }}
