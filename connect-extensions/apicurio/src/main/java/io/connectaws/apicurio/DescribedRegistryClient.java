package io.connectaws.apicurio;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.rest.client.auth.exception.ForbiddenException;
import io.apicurio.rest.client.auth.exception.NotAuthorizedException;
import io.apicurio.rest.client.request.Request;
import io.apicurio.rest.client.spi.ApicurioHttpClient;

/**
 * Apicurio's HTTP client with two things it lacks: a time limit on each call (its JDK client has none, so a registry
 * that vanished from the network left a task RUNNING and stuck for good), and errors that name the registry. An
 * answer of the registry (an HTTP error with its error body: not found, rule violation, ...) passes unchanged, since
 * the serdes act on its type; anything else (unreachable, timed out, 401/403) becomes a {@link RegistryCallException}
 * naming the registry's URL and the reason.
 */
final class DescribedRegistryClient implements ApicurioHttpClient {

    private static final ExecutorService CALLS = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "apicurio-registry-call");
        t.setDaemon(true);
        return t;
    });

    private final String baseUrl;
    private final ApicurioHttpClient delegate;
    private final Duration timeout;
    /** Apicurio's client keeps these per calling thread; the call itself runs on another one. */
    private final ThreadLocal<Map<String, String>> nextHeaders = new ThreadLocal<>();

    DescribedRegistryClient(String baseUrl, ApicurioHttpClient delegate, Duration timeout) {
        this.baseUrl = baseUrl;
        this.delegate = delegate;
        this.timeout = timeout;
    }

    @Override
    public <T> T sendRequest(Request<T> request) {
        Map<String, String> headers = nextHeaders.get();
        nextHeaders.remove();
        Future<T> call = CALLS.submit(() -> {
            if (headers != null) {
                delegate.setNextRequestHeaders(headers);
            }
            return delegate.sendRequest(request);
        });
        String what = request.getOperation() + " " + path(request);
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RegistryCallException("Apicurio Registry at " + baseUrl + " did not answer " + what + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryCallException("Interrupted while calling Apicurio Registry at " + baseUrl, e);
        } catch (ExecutionException e) {
            throw describe(e.getCause(), what);
        }
    }

    private RuntimeException describe(Throwable failure, String what) {
        if (failure instanceof RestClientException answer && answer.getError() != null
                && answer.getError().getErrorCode() != null && answer.getError().getErrorCode() > 0) {
            return answer;
        }
        if (failure instanceof NotAuthorizedException || failure instanceof ForbiddenException) {
            return new RegistryCallException("Apicurio Registry at " + baseUrl + " refused the credentials ("
                    + (failure instanceof ForbiddenException ? "HTTP 403, forbidden" : "HTTP 401, not authorized")
                    + ") for " + what + ": check apicurio.auth.username and apicurio.auth.password (or the OAuth2 "
                    + "client settings) of the converter", failure);
        }
        return new RegistryCallException("Apicurio Registry at " + baseUrl + " cannot be reached for " + what + ": "
                + reason(failure), failure);
    }

    /** The request's path with its parameters in place ({@code groups/default/artifacts}). */
    private static String path(Request<?> request) {
        try {
            return String.format(request.getRequestPath(), request.getPathParams().toArray());
        } catch (RuntimeException e) {
            return request.getRequestPath();
        }
    }

    /** The innermost cause's type and message: "UnknownHostException: apicurio", "ConnectException: ...". */
    static String reason(Throwable failure) {
        String reason = rootReason(failure);
        // the JDK's HTTP client gives a refused or unroutable connection no message
        return reason.equals("ConnectException") ? "ConnectException (connection refused or host unreachable)" : reason;
    }

    private static String rootReason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (failure instanceof RestClientException parsed && parsed.getError() != null) {
            // Apicurio's client flattens a transport failure into an error body without a code
            String name = parsed.getError().getName();
            String text = parsed.getError().getMessage();
            if (root == failure || message == null) {
                return (name == null ? "error" : name) + (text == null ? "" : ": " + text);
            }
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void setNextRequestHeaders(Map<String, String> headers) {
        nextHeaders.set(headers);
    }

    @Override
    public Map<String, String> getHeaders() {
        return delegate.getHeaders();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
