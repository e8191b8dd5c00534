package io.connectaws.launcher;

import org.apache.kafka.connect.runtime.rest.entities.ErrorMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A 400 reply in Connect's own error shape (its {@link ErrorMessage} entity), for the image's REST filters. */
final class BadRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BadRequest() {
    }

    static Response of(String message) {
        try {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(JSON.writeValueAsString(new ErrorMessage(400, message))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
