package io.connectaws.security;

import java.util.concurrent.ExecutionException;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import org.apache.kafka.connect.runtime.rest.entities.ErrorMessage;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the validate endpoint ({@code PUT /connector-plugins/CLASS/config/validate}) the status of the error the herder
 * refused the config with. Connect's resource rethrows the herder's {@link ExecutionException} as it is, so its own
 * mapper answers 500 "BadRequestException: ..." for a config it refused on purpose (the secret-reference policy, a
 * config without {@code connector.class}); this mapper, more specific than Connect's for that type, answers the
 * cause's status and message. Any other failure stays a 500 with the message, as Connect answers it.
 */
public final class ValidationFailureMapper implements ExceptionMapper<ExecutionException> {
    private static final Logger log = LoggerFactory.getLogger(ValidationFailureMapper.class);

    @Override
    public Response toResponse(ExecutionException exception) {
        if (exception.getCause() instanceof ConnectRestException refused) {
            return Response.status(refused.statusCode()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorMessage(refused.errorCode(), refused.getMessage())).build();
        }
        log.error("Uncaught exception in a REST call", exception);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(500, exception.getMessage())).build();
    }
}
