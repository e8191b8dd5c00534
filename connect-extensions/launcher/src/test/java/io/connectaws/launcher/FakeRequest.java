package io.connectaws.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A JAX-RS request as the image's REST filters see it: method, path, body; records the body left and any abort. */
final class FakeRequest {
    final ContainerRequestContext context;
    private InputStream entity;
    private Response aborted;
    private final MultivaluedHashMap<String, String> headers = new MultivaluedHashMap<>();

    FakeRequest(String method, String path, String body) {
        this.entity = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        List<PathSegment> segments = Arrays.stream(path.split("/")).map(FakeRequest::segment).toList();
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getPathSegments" -> segments;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        this.context = (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getUriInfo" -> uri;
                    case "hasEntity" -> true;
                    case "getEntityStream" -> entity;
                    case "setEntityStream" -> {
                        entity = (InputStream) args[0];
                        yield null;
                    }
                    case "getHeaders" -> headers;
                    case "abortWith" -> {
                        aborted = (Response) args[0];
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static PathSegment segment(String s) {
        return (PathSegment) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(), new Class<?>[] {PathSegment.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getPath" -> s;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** The body the next filter (and Connect) reads. */
    String body() {
        try {
            byte[] bytes = entity.readAllBytes();
            entity = new ByteArrayInputStream(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply the filter aborted with, or null. */
    Response aborted() {
        return aborted;
    }
}
