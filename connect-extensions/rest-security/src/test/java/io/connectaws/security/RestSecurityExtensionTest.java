package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Configurable;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.junit.jupiter.api.Test;

import io.connectaws.rest.WorkerRest;

/** The extension's lifecycle as Connect drives it: configure with the worker's settings, register, close. */
class RestSecurityExtensionTest {
    record Registered(Object component, int priority) {
    }

    private static List<Registered> register(ConnectRestExtension extension) {
        List<Registered> registered = new ArrayList<>();
        Configurable<?> configurable = (Configurable<?>) Proxy.newProxyInstance(getClass0(), new Class<?>[] {Configurable.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("register") && args.length == 2 && args[1] instanceof Integer p) {
                        registered.add(new Registered(args[0], p));
                        return proxy;
                    }
                    throw new UnsupportedOperationException(m.toString());
                });
        ConnectRestExtensionContext context = (ConnectRestExtensionContext) Proxy.newProxyInstance(getClass0(),
                new Class<?>[] {ConnectRestExtensionContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "configurable" -> configurable;
                    default -> throw new UnsupportedOperationException(m.toString());
                });
        extension.register(context);
        return registered;
    }

    private static ClassLoader getClass0() {
        return RestSecurityExtensionTest.class.getClassLoader();
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ConnectRestExtension.class).stream().map(ServiceLoader.Provider::type))
                .contains(RestSecurityExtension.class);
    }

    @Test
    void registersAuthenticationAndTheWriteLockAtTheirPriorities() throws Exception {
        RestSecurityExtension extension = new RestSecurityExtension();
        extension.configure(Map.of(RestSecuritySettings.AUTH, "basic", RestSecuritySettings.WRITE_LOCK, "true",
                RestSecuritySettings.BASIC_CREDENTIALS, BasicCredentials.hash("ops", "pw".toCharArray()),
                WorkerRest.TOKEN_PROPERTY, "t"));
        List<Registered> registered = register(extension);
        assertThat(registered).extracting(r -> r.component().getClass().getSimpleName() + "@" + r.priority())
                .containsExactly("AuthenticationFilter@" + Priorities.AUTHENTICATION, "WriteLockFilter@" + Priorities.AUTHORIZATION);
        extension.close();
        assertThat(extension.version()).isNotBlank();
    }

    @Test
    void withoutTheLockOnlyAuthenticationIsRegistered() {
        RestSecurityExtension extension = new RestSecurityExtension();
        extension.configure(Map.of());
        assertThat(register(extension)).extracting(r -> r.component().getClass().getSimpleName())
                .containsExactly("AuthenticationFilter");
    }

    @Test
    void badSettingsFailTheConfigureNamingTheProperty() {
        assertThatThrownBy(() -> new RestSecurityExtension().configure(Map.of(RestSecuritySettings.AUTH, "iam")))
                .hasMessageContaining(RestSecuritySettings.IAM_PRINCIPALS);
    }
}
