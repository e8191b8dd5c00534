package io.connectaws.declarations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.declarations.Status.Outcome;

/**
 * Reads every source on an interval, expands and checks what they declare, and (on the group leader) reconciles the
 * cluster to it. Logs what changed since the last round, keeps the last round's report for {@code GET /declarations}
 * and updates the metrics. A round that cannot act (worker not joined yet, rebalance) is tried again within half a
 * second, one whose calls failed for a passing reason within 5 s.
 */
final class DeclarationLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeclarationLoop.class);
    /** A round that could not act (not joined, REST resources not installed yet) is tried again after this. */
    private static final long SOON_MILLIS = 500;
    /** A round whose calls failed for a passing reason (a rebalance, a server error) is tried again after this. */
    private static final long RETRY_MILLIS = 5_000;
    private static final long NOT_READY_WARN_NANOS = 60_000_000_000L;

    /** The last round, as {@code GET /declarations} shows it. */
    record Report(String worker, String role, String leaderUrl, List<String> sources, boolean purge, Instant at,
                  boolean complete, List<Status> connectors, List<Problem> problems, String note) {
    }

    private final List<DeclarationSource> sources;
    private final Connect connect;
    private final Leadership leadership;
    private final Reconciler reconciler;
    private final DeclarationsMetrics metrics;
    private final DeclarationSettings settings;
    private final String workerId;
    private final List<String> sourceNames;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "declarations");
        t.setDaemon(true);
        return t;
    });
    private volatile Report report;
    private Map<String, Status> previous = Map.of();
    private Set<String> previousProblems = Set.of();
    private long notReadySince;
    private boolean warnedNotReady;

    DeclarationLoop(DeclarationSettings settings, List<DeclarationSource> sources, Connect connect,
                    Leadership leadership, DeclarationsMetrics metrics, String workerId) {
        this.settings = settings;
        this.sources = List.copyOf(sources);
        this.connect = connect;
        this.leadership = leadership;
        this.metrics = metrics;
        this.workerId = workerId;
        this.sourceNames = sources.stream().map(DeclarationSource::describe).toList();
        this.reconciler = new Reconciler(connect, settings.purge, settings.parallelism, Thread::sleep);
        this.report = new Report(workerId, "STARTING", "", sourceNames, settings.purge, null, false, List.of(),
                List.of(), "no round yet");
    }

    void start() {
        scheduler.schedule(this::loop, 1, TimeUnit.SECONDS);
    }

    Report report() {
        return report;
    }

    private void loop() {
        long next = settings.intervalMillis;
        try {
            next = !round() ? Math.min(SOON_MILLIS, settings.intervalMillis)
                    : reconciler.retrySoon() ? Math.min(RETRY_MILLIS, settings.intervalMillis) : settings.intervalMillis;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception | Error e) {
            // an unexpected failure must not end the loop: say so, and try again
            log.warn("Declarations: the round failed, trying again in {} s", next / 1000, e);
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::loop, next, TimeUnit.MILLISECONDS);
        }
    }

    /** One round; false when it could not act and should be tried again soon. */
    boolean round() throws InterruptedException {
        List<DocumentParser.Parsed> parsed = new ArrayList<>();
        List<Problem> sourceProblems = new ArrayList<>();
        boolean complete = true;
        for (DeclarationSource source : sources) {
            DeclarationSource.Read read = source.read();
            complete &= read.complete();
            sourceProblems.addAll(read.problems());
            read.documents().forEach(doc -> parsed.add(DocumentParser.parse(doc)));
        }
        Leadership.Role role = leadership.role();
        boolean acts = role == Leadership.Role.LEADER || role == Leadership.Role.NO_METRIC;
        Map<String, Connect.Existing> existing = Map.of();
        if (acts) {
            try {
                // the leader metric and the cluster state are there before Connect installs its REST resources, and
                // a POST /connectors then answers 404: wait for the API rather than report every create refused
                if (!connect.ready()) {
                    throw new IllegalStateException("this worker's REST API does not serve /connectors yet");
                }
                existing = connect.connectors();
            } catch (Exception e) {
                String why = "the cluster cannot be read yet (joining or rebalancing): " + e.getMessage();
                if (notReadySince == 0) {
                    notReadySince = System.nanoTime();
                } else if (System.nanoTime() - notReadySince > NOT_READY_WARN_NANOS && !warnedNotReady) {
                    log.warn("Declarations: nothing applied for over a minute: {}", why);
                    warnedNotReady = true;
                }
                report = withNote(role, why);
                return false;
            }
            notReadySince = 0;
            warnedNotReady = false;
        }
        DesiredSet desired = DesiredSet.of(parsed, complete, existing.keySet());
        int declared = desired.declarations().size() + desired.held().size();
        List<Problem> problems = new ArrayList<>(sourceProblems);
        problems.addAll(desired.problems());
        logProblems(problems);
        if (!acts) {
            Map<String, Status> listed = new LinkedHashMap<>();
            desired.declarations().forEach(d -> listed.put(d.name(), new Status(d.name(), d.origin().toString(), null,
                    "applied by the group leader")));
            report = new Report(workerId, role.name(), leadership.leaderUrl(), sourceNames, settings.purge,
                    Instant.now(), desired.complete(), List.copyOf(listed.values()), List.copyOf(problems),
                    role == Leadership.Role.UNKNOWN ? "this worker has not joined the group yet"
                            : "the group leader applies the declarations; its GET /declarations shows the outcome");
            metrics.round(declared, problems.size(), 0, false, 0, 0,
                    System.nanoTime());
            return role != Leadership.Role.UNKNOWN;
        }
        Map<String, Status> statuses = reconciler.reconcile(desired, existing);
        logChanges(statuses);
        Map<Outcome, Integer> counts = Reconciler.count(statuses);
        int failedDeclarations = counts.get(Outcome.FAILED);
        // every problem counts once; a connector Connect refused counts unless a problem already names it
        Set<String> named = new java.util.HashSet<>();
        problems.forEach(p -> named.add(p.connector()));
        int failed = problems.size() + (int) statuses.values().stream()
                .filter(st -> st.outcome() == Outcome.FAILED && !named.contains(st.connector())).count();
        report = new Report(workerId, role.name(), leadership.leaderUrl(), sourceNames, settings.purge,
                Instant.now(), desired.complete(), List.copyOf(statuses.values()), List.copyOf(problems), "");
        metrics.round(declared, failed,
                counts.get(Outcome.ORPHANED), true, counts.get(Outcome.APPLIED), counts.get(Outcome.DELETED),
                System.nanoTime());
        if (counts.get(Outcome.APPLIED) + counts.get(Outcome.DELETED) > 0) {
            log.info("Declarations: {} declared; {} applied, {} unchanged, {} failed, {} orphaned, {} deleted",
                    declared, counts.get(Outcome.APPLIED),
                    counts.get(Outcome.UNCHANGED), failedDeclarations, counts.get(Outcome.ORPHANED),
                    counts.get(Outcome.DELETED));
        }
        return true;
    }

    private Report withNote(Leadership.Role role, String note) {
        Report r = report;
        return new Report(workerId, role.name(), leadership.leaderUrl(), r.sources(), r.purge(), r.at(), r.complete(),
                r.connectors(), r.problems(), note);
    }

    private void logChanges(Map<String, Status> statuses) {
        for (Status s : statuses.values()) {
            Status before = previous.get(s.connector());
            boolean changed = before == null || before.outcome() != s.outcome()
                    || !Objects.equals(before.detail(), s.detail());
            switch (s.outcome()) {
                case APPLIED, DELETED -> log.info("Declared connector {} ({}): {}", s.connector(), s.origin(), s.detail());
                case FAILED -> {
                    if (changed) {
                        log.warn("Declared connector {} not applied ({}): {}", s.connector(), s.origin(), s.detail());
                    }
                }
                case ORPHANED -> {
                    if (changed) {
                        log.warn("Connector {}: {}", s.connector(), s.detail());
                    }
                }
                default -> {
                    if (before != null && before.outcome() == Outcome.FAILED) {
                        log.info("Declared connector {} ({}): as declared again", s.connector(), s.origin());
                    }
                }
            }
        }
        previous = statuses;
    }

    private void logProblems(List<Problem> problems) {
        Set<String> now = new java.util.LinkedHashSet<>();
        for (Problem p : problems) {
            if (p.connector() == null) {
                now.add(p.toString());
            }
        }
        for (String p : now) {
            if (!previousProblems.contains(p)) {
                log.warn("Declarations: {}", p);
            }
        }
        previousProblems = now;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sources.forEach(DeclarationSource::close);
    }
}
