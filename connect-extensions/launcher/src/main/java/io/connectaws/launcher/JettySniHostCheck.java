package io.connectaws.launcher;

import java.lang.reflect.Field;

import org.apache.kafka.connect.runtime.rest.RestServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns off Jetty 12's SNI host check on Connect's https listeners. Jetty 12 answers 400 "Invalid SNI" to a request
 * whose Host is not a name of the listener's certificate, and followers forward calls to the leader at its task
 * address, which no certificate can name in advance: with it on, every forwarded call over https failed. The check
 * guards virtual hosts sharing a listener, which Connect's REST API does not have; the certificate still
 * authenticates the worker to its peers, whose trust store holds only this cluster's certificate and client CA.
 * Connect keeps its Jetty server private, hence the reflection; if a Kafka upgrade moves it, the start logs a warning.
 */
final class JettySniHostCheck {
    private static final Logger log = LoggerFactory.getLogger(JettySniHostCheck.class);

    private JettySniHostCheck() {
    }

    /** Turns the check off on every https connector of {@code restServer}; returns how many it changed. */
    static int turnOff(RestServer restServer) {
        try {
            Field f = RestServer.class.getDeclaredField("jettyServer");
            f.setAccessible(true);
            Server server = (Server) f.get(restServer);
            int changed = 0;
            for (Connector connector : server.getConnectors()) {
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                SecureRequestCustomizer secure = http == null ? null
                        : http.getHttpConfiguration().getCustomizer(SecureRequestCustomizer.class);
                if (secure != null && secure.isSniHostCheck()) {
                    secure.setSniHostCheck(false);
                    changed++;
                }
            }
            return changed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Cannot turn off Jetty's SNI host check on the https listener ({}): calls that a follower forwards to "
                    + "the leader over https may be answered 400 Invalid SNI unless the certificate names each worker's "
                    + "advertised host (docs/security.md)", e.toString());
            return 0;
        }
    }
}
