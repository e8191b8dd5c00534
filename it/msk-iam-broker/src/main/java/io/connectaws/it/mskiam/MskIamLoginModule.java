package io.connectaws.it.mskiam;

import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.spi.LoginModule;

/**
 * The JAAS login module of a test broker's {@code AWS_MSK_IAM} listener. Loading it registers the mechanism's
 * {@link javax.security.sasl.SaslServerFactory} ({@link MskIamSaslServerProvider}), as Kafka's PLAIN and SCRAM login
 * modules do; its options reach the listener's SASL servers through the login's {@link Subject}. One JAAS entry per
 * listener, in the broker's properties:
 *
 * <pre>
 * sasl.enabled.mechanisms=AWS_MSK_IAM
 * listener.name.iam.aws_msk_iam.sasl.jaas.config=io.connectaws.it.mskiam.MskIamLoginModule required \
 *     verifierUrl="http://aws:4566/_local/msk-iam/authenticate" serverName="msk";
 * </pre>
 *
 * Options:
 * <ul>
 *   <li>{@code verifierUrl} (required): it/aws-local's {@code POST /_local/msk-iam/authenticate}, which checks the
 *       client's SigV4 signature against the credentials it issued.</li>
 *   <li>{@code serverName}: the host name clients connect to on this listener (its advertised host), which the client
 *       signs and the verifier compares; like an MSK broker's DNS name. Default: the name Kafka passes to the SASL
 *       server, i.e. the reverse lookup of the listener's local address, rarely what clients use.</li>
 *   <li>{@code verifierTimeoutMs}: per verification request, default 10000.</li>
 * </ul>
 */
public class MskIamLoginModule implements LoginModule {

    static {
        MskIamSaslServerProvider.initialize();
    }

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        // fails the broker's start (IllegalArgumentException) when verifierUrl is missing or not a URL
        subject.getPublicCredentials().add(MskIamServerOptions.from(options));
    }

    @Override
    public boolean login() {
        return true;
    }

    @Override
    public boolean commit() {
        return true;
    }

    @Override
    public boolean abort() {
        return false;
    }

    @Override
    public boolean logout() {
        return true;
    }
}
