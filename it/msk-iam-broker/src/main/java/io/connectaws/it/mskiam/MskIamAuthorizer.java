package io.connectaws.it.mskiam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSK's IAM access control on a test broker: each request of a principal authenticated through SASL/AWS_MSK_IAM (a
 * principal whose name is an ARN, on a SASL listener) is allowed only if an IAM policy document allows the MSK action
 * for the Kafka operation ({@link MskIamActions}) on the resource's ARN ({@link MskArns}), with IAM's evaluation
 * ({@link IamPolicy}). Every other principal (plaintext listeners, inter-broker and controller traffic) is allowed, as
 * without an authorizer. A refusal is logged at INFO in AWS's words, naming principal, action and resource; a client
 * sees Kafka's authorization error for the operation (TopicAuthorizationException, ...).
 *
 * <p>Broker properties, set only where wanted (KafkaDockerWrapper: {@code KAFKA_AUTHORIZER_CLASS_NAME}, ...):
 * <pre>
 * authorizer.class.name=io.connectaws.it.mskiam.MskIamAuthorizer
 * msk.iam.policy.file=/etc/kafka/msk-iam-policy.json   # re-read every second
 * msk.iam.cluster.arn=arn:aws:kafka:eu-west-1:123456789012:cluster/NAME/UUID
 * </pre>
 * There are no ACLs: creating or deleting one fails.
 */
public final class MskIamAuthorizer implements Authorizer {
    /** Broker property: path of the IAM policy document (JSON) applied to every IAM principal. */
    public static final String POLICY_FILE = "msk.iam.policy.file";
    /** Broker property: the cluster ARN the resource ARNs are built from. */
    public static final String CLUSTER_ARN = "msk.iam.cluster.arn";
    private static final Logger LOG = LoggerFactory.getLogger(MskIamAuthorizer.class);
    private static final long RELOAD_INTERVAL_MS = 1_000;

    private PolicyFile policy;
    private MskArns arns;
    private ScheduledExecutorService reloader;

    @Override
    public void configure(Map<String, ?> configs) {
        arns = MskArns.of(required(configs, CLUSTER_ARN));
        policy = new PolicyFile(Path.of(required(configs, POLICY_FILE)));
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msk-iam-policy-reloader");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(policy::refresh, RELOAD_INTERVAL_MS, RELOAD_INTERVAL_MS, TimeUnit.MILLISECONDS);
        LOG.info("MSK IAM authorizer on: cluster {}, policy {} (sha-256 {})", arns.clusterArn(),
            configs.get(POLICY_FILE), policy.fingerprint());
    }

    private static String required(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(MskIamAuthorizer.class.getName() + " needs the broker property " + key
                + " (environment KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_') + ")");
        }
        return value.toString();
    }

    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        return serverInfo.endpoints().stream()
            .collect(Collectors.toMap(Function.identity(), e -> CompletableFuture.completedFuture(null)));
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        boolean iam = isIamPrincipal(context);
        List<AuthorizationResult> results = new ArrayList<>(actions.size());
        for (Action action : actions) {
            results.add(iam ? authorizeIam(context, action) : AuthorizationResult.ALLOWED);
        }
        return results;
    }

    /** Whether the request's principal authenticated through SASL/AWS_MSK_IAM: its name is the identity's ARN. */
    static boolean isIamPrincipal(AuthorizableRequestContext context) {
        KafkaPrincipal principal = context.principal();
        return context.securityProtocol().name().startsWith("SASL_")
            && KafkaPrincipal.USER_TYPE.equals(principal.getPrincipalType())
            && principal.getName().startsWith("arn:");
    }

    private AuthorizationResult authorizeIam(AuthorizableRequestContext context, Action action) {
        ResourcePattern resource = action.resourcePattern();
        Optional<String> iamAction = MskIamActions.of(action.operation(), resource.resourceType());
        String principal = context.principal().getName();
        String kafka = "Kafka " + action.operation() + " on " + resource.resourceType() + " '" + resource.name()
            + "', client id '" + context.clientId() + "'";
        if (iamAction.isEmpty()) {
            log(action.logIfDenied(), "MSK IAM authorization denied: User: {} may not perform {}: MSK IAM access "
                + "control has no action for it", principal, kafka);
            return AuthorizationResult.DENIED;
        }
        String arn = arns.of(resource.resourceType(), resource.name());
        IamPolicy.Decision decision = policy.current().evaluate(iamAction.get(), arn);
        if (decision.allowed()) {
            LOG.debug("MSK IAM authorization allowed: User: {} {} on resource: {} by statement {} ({})", principal,
                iamAction.get(), arn, decision.statement(), kafka);
            return AuthorizationResult.ALLOWED;
        }
        String why = decision.outcome() == IamPolicy.Outcome.EXPLICIT_DENY
            ? "with an explicit deny in statement " + decision.statement()
            : "because no identity-based policy allows the " + iamAction.get() + " action";
        log(action.logIfDenied(), "MSK IAM authorization denied: User: {} is not authorized to perform: {} on "
            + "resource: {} {} ({})", principal, iamAction.get(), arn, why, kafka);
        return AuthorizationResult.DENIED;
    }

    /**
     * "May this principal do {@code op} on some resource of {@code type}?", which Kafka asks when a producer without
     * IDEMPOTENT_WRITE on the cluster wants a producer id (WRITE on any topic would do). MSK's table has no action for
     * that question, so IAM principals are refused and need {@code kafka-cluster:WriteDataIdempotently}: stricter
     * than MSK might be, never more lenient.
     */
    @Override
    public AuthorizationResult authorizeByResourceType(AuthorizableRequestContext context, AclOperation op,
                                                       ResourceType type) {
        if (!isIamPrincipal(context)) {
            return AuthorizationResult.ALLOWED;
        }
        LOG.info("MSK IAM authorization denied: User: {} may not perform Kafka {} on any {} (client id '{}'){}",
            context.principal().getName(), op, type, context.clientId(),
            op == AclOperation.WRITE && type == ResourceType.TOPIC
                ? ": an idempotent producer needs kafka-cluster:WriteDataIdempotently on " + arns.clusterArn() : "");
        return AuthorizationResult.DENIED;
    }

    private static void log(boolean info, String format, Object... args) {
        if (info) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(AuthorizableRequestContext context,
                                                                       List<AclBinding> bindings) {
        return bindings.stream().map(b -> CompletableFuture.completedFuture(
            new AclCreateResult(new InvalidRequestException("MSK IAM access control has no ACLs (test broker)"))))
            .toList();
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(AuthorizableRequestContext context,
                                                                       List<AclBindingFilter> filters) {
        return filters.stream().map(f -> CompletableFuture.completedFuture(
            new AclDeleteResult(new InvalidRequestException("MSK IAM access control has no ACLs (test broker)"))))
            .toList();
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return List.of();
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }
}
