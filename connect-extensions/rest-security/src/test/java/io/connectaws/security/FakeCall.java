package io.connectaws.security;

import java.lang.reflect.Proxy;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A REST call as the filters see it: method, path, headers; records the reply a filter aborted with. */
final class FakeCall {
    final ContainerRequestContext context;
    private Response aborted;

    FakeCall(String method, String path, Map<String, String> headers) {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getPath" -> path;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        context = (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getUriInfo" -> uri;
                    case "getHeaderString" -> headers.get((String) args[0]);
                    case "abortWith" -> {
                        aborted = (Response) args[0];
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    FakeCall(String method, String path) {
        this(method, path, Map.of());
    }

    /** The status the call was refused with, or 0 when it passed. */
    int refused() {
        return aborted == null ? 0 : aborted.getStatus();
    }

    String body() {
        return aborted == null ? null : String.valueOf(aborted.getEntity());
    }

    Response reply() {
        return aborted;
    }
}
