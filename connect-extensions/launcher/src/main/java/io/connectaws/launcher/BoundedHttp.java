package io.connectaws.launcher;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An HTTP call with a few quick retries, all within one deadline, for what the launcher asks at start (ECS task
 * metadata, EC2 zone ids): a container's start must never hang on it.
 */
final class BoundedHttp {

    /** No retry that would have less than this left: the last error then says more than "no answer". */
    static final long MIN_ATTEMPT_MILLIS = 50;

    /** What one answer gave: a result, or (retryable) why not. A judge throws for errors not worth retrying. */
    record Outcome<T>(T result, String error) {
        static <T> Outcome<T> done(T result) {
            return new Outcome<>(result, null);
        }

        static <T> Outcome<T> retry(String error) {
            return new Outcome<>(null, error);
        }
    }

    private BoundedHttp() {
    }

    /**
     * Sends {@code request} (built per attempt with the time left) until {@code judge} accepts an answer, at most
     * {@code maxAttempts} times with doubling back-off from {@code firstBackoffMillis}, all before {@code deadline}.
     *
     * @param interrupted the exception for an interrupted wait
     * @param gaveUp the exception from the last error and the number of attempts
     */
    static <T> T call(HttpClient client, Function<Duration, HttpRequest> request, long deadline, int maxAttempts,
                      long firstBackoffMillis, Function<HttpResponse<byte[]>, Outcome<T>> judge,
                      Supplier<LauncherException> interrupted, BiFunction<String, Integer, LauncherException> gaveUp) {
        String lastError = "no attempt";
        long backoff = firstBackoffMillis;
        int attempts = 0;
        while (attempts < maxAttempts) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            attempts++;
            CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request.apply(Duration.ofNanos(remaining)),
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                Outcome<T> outcome = judge.apply(call.get(remaining, TimeUnit.NANOSECONDS));
                if (outcome.error() == null) {
                    return outcome.result();
                }
                lastError = outcome.error();
            } catch (TimeoutException e) {
                call.cancel(true);
                lastError = "no answer";
                break;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                lastError = cause instanceof java.net.http.HttpTimeoutException ? "no answer" : describe(cause);
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw interrupted.get();
            }
            if (attempts >= maxAttempts
                    || TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - backoff < MIN_ATTEMPT_MILLIS) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted.get();
            }
            backoff *= 2;
        }
        throw gaveUp.apply(lastError, attempts);
    }

    /** A failure in one line: type and message, or the cause's when the message is empty. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            // e.g. the JDK client's ConnectException (connection refused) around a ClosedChannelException
            return t.getClass().getSimpleName() + (t.getCause() == null ? "" : " (" + describe(t.getCause()) + ")");
        }
        return t.getClass().getSimpleName() + ": " + EcsTaskMetadata.oneLine(message);
    }
}
