package io.connectaws.health.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The image's shell-free health check, {@code HealthProbe live|ready [--url=BASE] [--timeout=5s]
 * [--startup-grace=300s]}: GETs {@code BASE/health/live} or {@code /health/ready}, prints one line and exits 0 (2xx),
 * 1 (anything else) or 2 (misuse). It needs {@code java.base} only, so that its JVM starts fast and stays small.
 */
public final class HealthProbe {
    // Start-up cost rules, measured in bench/probe/results.md: strings are joined with s(...), never with '+' (javac
    // compiles that to invokedynamic, whose bootstrap spins ~50 classes and costs ~35 ms), and no lambdas on the way.
    static final String DEFAULT_URL = "http://127.0.0.1:8083";
    static final String USAGE =
            "usage: HealthProbe live|ready [--url=http://HOST:PORT] [--timeout=5s] [--startup-grace=300s]";
    static final int MAX_BODY_CHARS = 300;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private HealthProbe() {
    }

    /** Probes with the process environment and exits with the code; halts the JVM should it outlive --timeout. */
    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv(), new LongSupplier() {
                @Override
                public long getAsLong() {
                    return workerUptimeMillis();
                }
            }, System.out, System.err, true);
        } catch (Throwable t) {
            System.out.println(s("health probe: failed (", t, ")"));
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** The probe without the watchdog; {@code workerUptime} gives the worker's age in ms, or -1 when unknown. */
    static int run(String[] args, Map<String, String> env, LongSupplier workerUptime, PrintStream out,
                   PrintStream err) {
        return run(args, env, workerUptime, out, err, false);
    }

    private static int run(String[] args, Map<String, String> env, LongSupplier workerUptime, PrintStream out,
                           PrintStream err, boolean watchdog) {
        long started = System.nanoTime();
        String check = null;
        String url = null;
        long timeout = 5_000;
        long grace = 300_000;
        try {
            for (String arg : args) {
                if ((arg.equals("live") || arg.equals("ready")) && check == null) check = arg;
                else if (arg.startsWith("--url=")) url = baseUrl(arg.substring(6));
                else if (arg.startsWith("--timeout=")) timeout = millis(arg, 1);
                else if (arg.startsWith("--startup-grace=")) grace = millis(arg, 0);
                else throw new IllegalArgumentException(s("unexpected argument '", arg, "'"));
            }
            if (check == null) throw new IllegalArgumentException("missing the check: live or ready");
            if (url == null) url = baseUrl(defaultUrl(env));
        } catch (IllegalArgumentException e) {
            err.println(s("health probe: ", e.getMessage(), "; ", USAGE));
            return 2;
        }
        long deadline = started + timeout * 1_000_000;
        if (watchdog) startWatchdog(check, timeout, out);

        String target = s(url, "/health/", check);
        String not = s(check, ": not ", check, " (");
        boolean refused = false;
        try {
            Response response = get(URI.create(target), deadline);
            if (response.status != 404) {
                out.println(s(check, ": HTTP ", response.status, " ", oneLine(response.body, MAX_BODY_CHARS)));
                return response.status >= 200 && response.status < 300 ? 0 : 1;
            }
        } catch (ConnectException e) {
            refused = true;
        } catch (SocketTimeoutException e) {
            out.println(s(not, "no answer from ", target, " within ", text(timeout), ")"));
            return 1;
        } catch (IOException | RuntimeException e) {
            String what = e.getClass().getSimpleName();
            if (e.getMessage() != null) what = s(what, ": ", e.getMessage());
            out.println(s(not, oneLine(what, MAX_BODY_CHARS), "; GET ", target, ")"));
            return 1;
        }
        // Refused, or 404: Connect's REST server listens before its resources and extensions are installed.
        String reason = refused ? s("Connection refused to ", target) : s("HTTP 404 from ", target);
        long uptime = workerUptime.getAsLong();
        if (uptime >= 0 && uptime < grace) {
            if (check.equals("ready")) {
                out.println(s("ready: not ready: starting (", reason, ", worker up ", uptime / 1000, "s)"));
                return 1;
            }
            out.println(s("live: starting (worker up ", uptime / 1000, "s, REST not ",
                    refused ? "listening" : "serving /health/live", " yet)"));
            return 0;
        }
        out.println(s(not, reason, "; ", uptime < 0 ? "worker start time unknown, so no startup grace"
                        : s("worker up ", uptime / 1000, "s, past the ", text(grace), " startup grace"),
                refused ? "" : "; is io.connectaws.health.HealthExtension missing from rest.extension.classes?", ")"));
        return 1;
    }

    /** Status and body of {@code GET url}, connecting and reading within one deadline (a {@link System#nanoTime()}). */
    static Response get(URI url, long deadline) throws IOException {
        // A raw HTTP/1.0 exchange, not HttpURLConnection: that loads ~80 more classes (proxy, cookie, cache, auth and
        // keep-alive machinery) and took ~15 ms longer (bench/probe/results.md). HTTP/1.0 rules out chunked encoding:
        // the server sends the body as it is and closes the connection, so the response is all bytes up to EOF
        // (Connect's Jetty does so). NO_PROXY skips the SOCKS layer a plain Socket goes through.
        int port = url.getPort() < 0 ? 80 : url.getPort();
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(url.getHost(), port), remaining(deadline));
            socket.setSoTimeout(remaining(deadline));
            socket.getOutputStream().write(s("GET ", url.getRawPath(), " HTTP/1.0\r\nHost: ", url.getHost(), ":", port,
                    "\r\nAccept: application/json\r\nUser-Agent: connect-aws-health-probe\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[MAX_RESPONSE_BYTES];
            int length = 0;
            for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) >= 0; ) {
                length += n;
                socket.setSoTimeout(remaining(deadline));
            }
            String response = new String(buffer, 0, length, StandardCharsets.UTF_8); // "HTTP/1.1 200 OK\r\n..."
            if (!response.startsWith("HTTP/1.") || response.length() < 12 || response.charAt(8) != ' ') {
                throw new IOException(s("Not an HTTP response: '", response, "'"));
            }
            int body = response.indexOf("\r\n\r\n");
            int status = Integer.parseInt(response.substring(9, 12));
            return new Response(status, body < 0 ? "" : response.substring(body + 4));
        }
    }

    record Response(int status, String body) {
    }

    /** The worker's age in ms, or -1 if unknown: it is PID 1 in the container (or the init, started with it). */
    static long workerUptimeMillis() {
        ProcessHandle pid1 = ProcessHandle.of(1).orElse(null);
        Optional<Instant> start = pid1 == null ? Optional.empty() : pid1.info().startInstant();
        return start.isPresent() ? Math.max(0, System.currentTimeMillis() - start.get().toEpochMilli()) : -1;
    }

    /** HEALTH_PROBE_URL, else CONNECT_LISTENERS' first http listener (a wildcard host as 127.0.0.1), else 8083. */
    static String defaultUrl(Map<String, String> env) {
        String explicit = env.get("HEALTH_PROBE_URL");
        if (explicit != null && !explicit.isBlank()) return explicit.trim();
        boolean https = false;
        for (String listener : env.getOrDefault("CONNECT_LISTENERS", "").split(",")) {
            String l = listener.trim().toLowerCase(Locale.ROOT);
            https |= l.startsWith("https://");
            if (!l.startsWith("http://")) continue;
            String hostPort = l.substring(7).split("/", 2)[0];
            int afterBracket = hostPort.startsWith("[") ? hostPort.indexOf(']') + 1 : 0; // [::1]:8083
            int colon = hostPort.lastIndexOf(':') >= afterBracket ? hostPort.lastIndexOf(':') : -1;
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            boolean wildcard = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
            if (wildcard) host = "127.0.0.1";
            return s("http://", host, ":", colon < 0 ? "80" : hostPort.substring(colon + 1));
        }
        if (https) {
            throw new IllegalArgumentException("CONNECT_LISTENERS has only https listeners, which the probe does not "
                    + "speak; set --url or HEALTH_PROBE_URL to an http listener");
        }
        return DEFAULT_URL;
    }

    private static String baseUrl(String url) {
        String base = url.trim().endsWith("/") ? url.trim().substring(0, url.trim().length() - 1) : url.trim();
        try {
            URI uri = URI.create(base);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
            if (http && uri.getRawQuery() == null) return base;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(s("bad URL '", url, "': expected http://HOST[:PORT] (the probe does not "
                + "speak https: set --url or HEALTH_PROBE_URL to an http listener)"));
    }

    /** {@code --name=value} in ms: accepts 500ms, 5s, 2m or a bare number of seconds, and at least {@code min} ms. */
    static long millis(String arg, long min) {
        String value = arg.substring(arg.indexOf('=') + 1);
        int unit = value.endsWith("ms") ? 1 : value.endsWith("s") ? 1000 : value.endsWith("m") ? 60_000 : 0;
        String digits = value.substring(0, value.length() - (unit == 1 ? 2 : unit > 0 ? 1 : 0));
        if (digits.matches("[0-9]{1,6}")) {
            long ms = Long.parseLong(digits) * (unit == 0 ? 1000 : unit);
            if (ms >= min) return ms;
        }
        throw new IllegalArgumentException(s("bad ", arg, ": expected 500ms, 5s, 2m or a number of seconds",
                min > 0 ? ", above zero" : ""));
    }

    /** {@code s} with each run of whitespace or control characters as one space, cut to {@code max} characters. */
    static String oneLine(String s, int max) {
        StringBuilder line = new StringBuilder();
        boolean gap = false;
        for (int i = 0; i < s.length() && line.length() <= max; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                gap = line.length() > 0;
            } else {
                line.append(gap ? " " : "").append(c);
                gap = false;
            }
        }
        return line.length() <= max ? line.toString() : s(line.substring(0, max - 3), "...");
    }

    private static String text(long ms) {
        return ms % 1000 == 0 ? s(ms / 1000, "s") : s(ms, "ms");
    }

    /** The parts joined: what {@code +} would give, without its invokedynamic bootstrap. */
    private static String s(Object... parts) {
        StringBuilder joined = new StringBuilder();
        for (Object part : parts) joined.append(part);
        return joined.toString();
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /** A daemon thread that prints a line and halts the JVM half a second after the deadline, should anything hang. */
    private static void startWatchdog(String check, long timeout, PrintStream out) {
        Thread watchdog = new Thread("health-probe-watchdog") {
            @Override
            public void run() {
                try {
                    Thread.sleep(timeout + 500);
                } catch (InterruptedException e) {
                    return;
                }
                out.println(s(check, ": not ", check, " (probe hung past its ", text(timeout), " timeout; halted)"));
                out.flush();
                Runtime.getRuntime().halt(1);
            }
        };
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
