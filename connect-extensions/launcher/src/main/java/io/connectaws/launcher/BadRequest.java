package io.connectaws.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Connect's own error reply shape ({@code {"error_code": 400, "message": ...}}) for the image's REST filters. */
final class BadRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BadRequest() {
    }

    static Response of(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_code", 400);
        error.put("message", message);
        try {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(JSON.writeValueAsString(error)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
