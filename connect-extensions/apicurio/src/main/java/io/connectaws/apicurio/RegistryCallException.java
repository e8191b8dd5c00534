package io.connectaws.apicurio;

/**
 * A call to Apicurio Registry that got no answer from the registry itself: unreachable, timed out, or credentials
 * refused. The message names the registry's URL and the reason, never a credential.
 */
public final class RegistryCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
