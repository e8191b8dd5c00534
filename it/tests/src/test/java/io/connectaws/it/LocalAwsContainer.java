package io.connectaws.it;

import java.net.URI;
import java.time.Duration;

import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;

import com.github.dockerjava.api.model.ContainerNetwork;

import io.connectaws.it.aws.LocalAws;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * AWS as an ECS task sees it, locally: the it/aws-local endpoint at 169.254.170.2 on a link-local network (where
 * ECS serves task-role credentials, {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}), and as {@code aws:4566} on the
 * test stack's network for the Secrets Manager/SSM API (a VPC endpoint, in ECS terms).
 */
final class LocalAwsContainer extends GenericContainer<LocalAwsContainer> {
    static final String REGION = "eu-west-1";
    static final String ECS_CREDENTIALS_IP = "169.254.170.2";
    static final String CREDENTIALS_PATH = "/v2/credentials/task-role";
    static final String ENDPOINT_ON_STACK = "http://aws:4566";

    private final Network linkLocal;

    LocalAwsContainer() {
        super(Images.awsLocal());
        linkLocal = Network.builder().createNetworkCmdModifier(cmd -> cmd.withIpam(new com.github.dockerjava.api.model.Network.Ipam()
                .withConfig(new com.github.dockerjava.api.model.Network.Ipam.Config()
                        .withSubnet("169.254.170.0/24").withGateway("169.254.170.1")))).build();
        withNetwork(linkLocal);
        withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(ECS_CREDENTIALS_IP));
        withEnv("AWS_REGION", REGION);
        withEnv("LOCAL_AWS_CREDENTIALS_PATH", CREDENTIALS_PATH);
        withExposedPorts(4566);
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("aws-local")));
        waitingFor(Wait.forHttp("/health").forPort(4566).withStartupTimeout(Duration.ofSeconds(60)));
    }

    @Override
    protected void containerIsCreated(String containerId) {
        // before start: attaching a network to a running container makes its mapped ports refuse connections briefly
        DockerClientFactory.instance().client().connectToNetworkCmd()
                .withNetworkId(Stack.network().getId()).withContainerId(containerId)
                .withContainerNetwork(new ContainerNetwork().withAliases("aws")).exec();
    }

    /** The link-local network on which 169.254.170.2 serves credentials; every ECS task can reach it. */
    Network taskNetwork() {
        return linkLocal;
    }

    /** Environment a worker needs to use this endpoint the way it would use AWS on ECS. */
    static java.util.Map<String, String> workerEnvironment() {
        return java.util.Map.of(
                "AWS_REGION", REGION,
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", CREDENTIALS_PATH,
                "CONNECT_CONFIG_PROVIDERS_SECRETSMANAGER_PARAM_ENDPOINT", ENDPOINT_ON_STACK,
                "CONNECT_CONFIG_PROVIDERS_SSM_PARAM_ENDPOINT", ENDPOINT_ON_STACK);
    }

    /** A real SDK client for the test itself (an operator rotating a secret), through the mapped port. */
    SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://" + getHost() + ":" + getMappedPort(4566)))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A real SDK client for Parameter Store (an operator adding a tenant's parameter), through the mapped port. */
    SsmClient ssm() {
        return SsmClient.builder()
                .endpointOverride(URI.create("http://" + getHost() + ":" + getMappedPort(4566)))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void stop() {
        super.stop();
        linkLocal.close();
    }
}
