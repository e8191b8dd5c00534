package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.connectaws.declarations.Connect.Existing;
import io.connectaws.declarations.Connect.Reply;
import io.connectaws.declarations.Status.Outcome;

/**
 * Brings the cluster to a {@link DesiredSet}, in one round:
 * <ul>
 *   <li>a declared connector that does not exist is created with Kafka's {@code initial_state}, so a paused or
 *       stopped one never runs first;</li>
 *   <li>an existing one is compared with its stored config (references stay references there) and written only on a
 *       real difference; a state change that must come first (pause, stop) does, a resume comes after;</li>
 *   <li>a connector is only ever changed or deleted when it carries {@link Declaration#MARKER}: one made by hand is
 *       never touched, even when a declaration has its name;</li>
 *   <li>a marked connector no longer declared is deleted only with purge on, and only when every source and document
 *       was read in full, so an unreachable source or a file with a syntax error never deletes anything;</li>
 *   <li>409 (rebalance) and 5xx answers are retried with back-off; whatever still fails is tried again next round.</li>
 * </ul>
 */
public final class Reconciler {

    /** Keys the image's connector-defaults REST filter adds to a connector config; their presence is not drift. */
    private static final List<String> WORKER_ADDED_PREFIXES = List.of("schema.history.internal.producer.",
            "schema.history.internal.consumer.", "signal.consumer.", "topic.creation.default.");
    private static final Set<String> WORKER_ADDED_KEYS = Set.of("schema.history.internal.kafka.bootstrap.servers",
            "schema.history.internal.kafka.topic", "signal.kafka.bootstrap.servers", "exactly.once.support",
            "plugin.name", "publication.autocreate.mode", "heartbeat.interval.ms", "heartbeat.action.query",
            "message.prefix.exclude.list");

    /** Waits between retries; a test passes one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** A REST call to retry. */
    @FunctionalInterface
    private interface Call {
        Reply run() throws Exception;
    }

    private final Connect connect;
    private final boolean purge;
    private final Sleeper sleeper;
    private final long[] backoffMillis;
    private final int parallelism;
    private final java.util.concurrent.atomic.AtomicBoolean transientFailures = new java.util.concurrent.atomic.AtomicBoolean();

    public Reconciler(Connect connect, boolean purge, int parallelism, Sleeper sleeper, long... backoffMillis) {
        this.connect = connect;
        this.purge = purge;
        this.parallelism = parallelism;
        this.sleeper = sleeper;
        this.backoffMillis = backoffMillis.length == 0 ? new long[] {1000, 2000, 4000} : backoffMillis.clone();
    }

    /**
     * One round. {@code existing} is the cluster as read at the start of the round (the same read the desired set's
     * collision check used).
     *
     * @return one status per connector declared, refused, orphaned or deleted, by name
     */
    public Map<String, Status> reconcile(DesiredSet desired, Map<String, Existing> existing) throws InterruptedException {
        transientFailures.set(false);
        Map<String, Status> statuses = new TreeMap<>();
        for (Problem p : desired.problems()) {
            if (p.connector() != null) {
                statuses.putIfAbsent(p.connector(), new Status(p.connector(), p.where(), Outcome.FAILED, p.toString()));
            }
        }
        // connectors are independent: apply several at once. Connect validates each on its own threads and writes
        // every create queued by its next tick together, so one rebalance follows many creates instead of each
        List<java.util.concurrent.Callable<Status>> work = new ArrayList<>();
        for (Declaration d : desired.declarations()) {
            work.add(() -> apply(d, existing.get(d.name())));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallelism, work.size())), r -> {
                    Thread t = new Thread(r, "declarations-apply");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (java.util.concurrent.Future<Status> f : pool.invokeAll(work)) {
                Status st = f.get();
                statuses.put(st.connector(), st);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, Existing> e : existing.entrySet()) {
            String name = e.getKey();
            if (statuses.containsKey(name) || desired.held().contains(name)
                    || !e.getValue().config().containsKey(Declaration.MARKER)) {
                continue;
            }
            if (!purge) {
                statuses.put(name, new Status(name, "no declaration", Outcome.ORPHANED, "created from a declaration that "
                        + "is gone; kept because purge is off (declarations.purge=true deletes it)"));
            } else if (!desired.complete()) {
                statuses.put(name, new Status(name, "no declaration", Outcome.ORPHANED, "not deleted: a source or "
                        + "document could not be read in full this round"));
            } else {
                Reply r = retrying(() -> connect.delete(name));
                statuses.put(name, r.ok() || r.status() == 404
                        ? new Status(name, "no declaration", Outcome.DELETED, "deleted (purge is on)")
                        : new Status(name, "no declaration", Outcome.FAILED, "delete refused: " + r.message()));
            }
        }
        return statuses;
    }

    private Status apply(Declaration d, Existing current) throws InterruptedException {
        String origin = d.origin().toString();
        try {
            if (current == null) {
                Reply r = retrying(() -> connect.create(d.name(), d.appliedConfig(), d.state()));
                if (r.ok()) {
                    return new Status(d.name(), origin, Outcome.APPLIED, "created" + (d.state() == DesiredState.RUNNING
                            ? "" : " " + d.state().name().toLowerCase(java.util.Locale.ROOT)));
                }
                if (r.status() == 409 && r.message().contains("already exists")) {
                    return new Status(d.name(), origin, Outcome.UNCHANGED, "created by another worker in the meantime");
                }
                return new Status(d.name(), origin, Outcome.FAILED, "create refused: " + r.message());
            }
            if (!current.config().containsKey(Declaration.MARKER)) {
                return new Status(d.name(), origin, Outcome.FAILED, "a connector named '" + d.name() + "' exists and was "
                        + "not created from a declaration (it has no " + Declaration.MARKER + " key), so it is left "
                        + "alone: delete it or rename the declaration");
            }
            List<String> done = new ArrayList<>();
            boolean configDiffers = !inSync(current.config(), d);
            String state = current.state();
            boolean stateDiffers = stateDiffers(d.state(), state);
            if (configDiffers && d.state() != DesiredState.RUNNING && stateDiffers) {
                Map<String, String> errors = connect.validate(d.appliedConfig());
                if (!errors.isEmpty()) {
                    return new Status(d.name(), origin, Outcome.FAILED, "config invalid, connector left as it is: "
                            + errors);
                }
                Reply r = retrying(() -> connect.changeState(d.name(), d.state()));
                if (!r.ok()) {
                    return new Status(d.name(), origin, Outcome.FAILED, verb(d.state()) + " refused: " + r.message());
                }
                done.add(verb(d.state()));
                stateDiffers = false;
            }
            if (configDiffers) {
                Reply r = retrying(() -> connect.update(d.name(), d.appliedConfig()));
                if (!r.ok()) {
                    return new Status(d.name(), origin, Outcome.FAILED, "config update refused, connector left as it "
                            + "is: " + r.message());
                }
                done.add("config updated");
            }
            if (stateDiffers) {
                Reply r = retrying(() -> connect.changeState(d.name(), d.state()));
                if (!r.ok()) {
                    return new Status(d.name(), origin, Outcome.FAILED, verb(d.state()) + " refused: " + r.message());
                }
                done.add(verb(d.state()));
            }
            return done.isEmpty() ? new Status(d.name(), origin, Outcome.UNCHANGED, "as declared")
                    : new Status(d.name(), origin, Outcome.APPLIED, String.join(", ", done));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new Status(d.name(), origin, Outcome.FAILED, "the worker's REST API did not answer: " + e);
        }
    }

    /** Whether a state call is needed: FAILED, UNASSIGNED and RESTARTING connectors are left to Connect and self-healing. */
    static boolean stateDiffers(DesiredState want, String observed) {
        return switch (observed) {
            case "RUNNING" -> want != DesiredState.RUNNING;
            case "PAUSED" -> want != DesiredState.PAUSED;
            case "STOPPED" -> want != DesiredState.STOPPED;
            case "FAILED" -> want != DesiredState.RUNNING;
            default -> false;
        };
    }

    /**
     * The stored config is what the declaration writes: every declared key with its value, the marker with the
     * declaration's fingerprint, and no other key than those the worker's connector defaults add.
     */
    static boolean inSync(Map<String, String> stored, Declaration d) {
        Map<String, String> want = d.appliedConfig();
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(stored.get(e.getKey()))) {
                return false;
            }
        }
        for (String key : stored.keySet()) {
            if (!want.containsKey(key) && !addedByWorker(key)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the image's connector-defaults REST filter adds {@code key} (the launcher's ConnectorDefaultsTest holds
     * the two in step: a key added there and not known here would read as drift and be rewritten every round).
     */
    public static boolean addedByWorker(String key) {
        return WORKER_ADDED_KEYS.contains(key) || WORKER_ADDED_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static String verb(DesiredState s) {
        return switch (s) {
            case RUNNING -> "resumed";
            case PAUSED -> "paused";
            case STOPPED -> "stopped";
        };
    }

    private Reply retrying(Call call) throws InterruptedException {
        Reply last = null;
        for (int attempt = 0; ; attempt++) {
            try {
                last = call.run();
                boolean transientFailure = last.status() >= 500
                        || (last.status() == 409 && !last.message().contains("already exists"));
                if (!transientFailure || attempt >= backoffMillis.length) {
                    break;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = new Reply(0, e.toString());
                if (attempt >= backoffMillis.length) {
                    break;
                }
            }
            sleeper.sleep(backoffMillis[attempt]);
        }
        // no answer, 404 (Connect has not installed its REST resources yet), a rebalance, a server error
        if (last.status() == 0 || last.status() == 404 || last.status() >= 500
                || (last.status() == 409 && !last.message().contains("already exists"))) {
            transientFailures.set(true);
        }
        return last;
    }

    /** Whether the last round left a call that failed for a passing reason: worth another round soon. */
    public boolean retrySoon() {
        return transientFailures.get();
    }

    /** Counts of each outcome, for metrics and the round's log line. */
    static Map<Outcome, Integer> count(Map<String, Status> statuses) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        statuses.values().forEach(s -> counts.merge(s.outcome(), 1, Integer::sum));
        return counts;
    }
}
