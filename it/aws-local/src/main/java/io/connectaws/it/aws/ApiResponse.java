package io.connectaws.it.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP answer: status, Content-Type, body and any further headers. */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String AMZ_JSON = "application/x-amz-json-1.1";

    ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    static ApiResponse json(int status, JsonNode node) {
        return new ApiResponse(status, "application/json", bytes(node));
    }

    static ApiResponse amzJson(int status, JsonNode node) {
        return new ApiResponse(status, AMZ_JSON, bytes(node));
    }

    static ApiResponse xml(int status, String xml) {
        return new ApiResponse(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return LocalAws.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
