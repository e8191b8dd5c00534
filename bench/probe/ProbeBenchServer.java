import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves /health/live (200) and /health/ready (503) with JSON bodies like the extension's, for bench/probe/run.sh. */
public class ProbeBenchServer {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 50);
        server.createContext("/health/", exchange -> {
            boolean live = exchange.getRequestURI().getPath().equals("/health/live");
            byte[] body = (live ? "{\"status\":\"live\",\"worker\":\"10.0.0.1:8083\",\"uptimeSeconds\":1234}"
                    : "{\"status\":\"not ready\",\"reasons\":[\"connector pg-orders task 0 is FAILED\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(live ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }
}
