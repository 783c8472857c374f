package dev.vestibule.router.subgraph.traffic;

import java.util.concurrent.atomic.LongAdder;

/**
 * One subgraph's circuit breaker (Cosmo's and Hive Router's semantics; {@link TrafficPolicy.Breaker}).
 *
 * <p>CLOSED: every call goes; outcomes are counted over a rolling window, and when at least {@code minimumCalls} were
 * made and {@code failureRatePercent} % failed, it opens. OPEN: every call is refused at once, for
 * {@code openDuration}. HALF_OPEN: the next {@code halfOpenCalls} calls go as probes and the rest are refused; when
 * all probes succeed it closes (with an empty window), when one fails it opens again.
 *
 * <p>Hand-written rather than resilience4j-circuitbreaker: these are forty lines of state over the window the retry
 * budget uses too, the engine stays on its few libraries (graphql-java, OkHttp, Jackson), and the state is read
 * lock-free on every call while closed.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String subgraph;
    private final TrafficPolicy.Breaker settings;
    private final TrafficObserver observer;
    /** First: calls; second: failures. Only while closed. */
    private final RollingCounts outcomes;
    private final StatusSet failureStatuses;
    private final long openNanos;
    private volatile State state = State.CLOSED;
    /** Guarded by this: when the breaker last opened; probes handed out and probes that succeeded while half-open. */
    private long openedAt;
    private int probes;
    private int probesSucceeded;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder opened = new LongAdder();

    CircuitBreaker(String subgraph, TrafficPolicy.Breaker settings, TrafficObserver observer) {
        this.subgraph = subgraph;
        this.settings = settings;
        this.observer = observer;
        this.outcomes = new RollingCounts(settings.window());
        this.failureStatuses = new StatusSet(settings.failureStatuses());
        this.openNanos = settings.openDuration().toNanos();
    }

    /** What a caller was allowed: to send as a normal call, to send as a probe, or nothing. */
    enum Permit { CALL, PROBE, REFUSED }

    Permit acquire(long now) {
        if (state == State.CLOSED) return Permit.CALL;
        State from;
        synchronized (this) {
            from = state;
            switch (from) {
                case CLOSED -> {
                    return Permit.CALL;
                }
                case OPEN -> {
                    if (now - openedAt < openNanos) {
                        rejected.increment();
                        return Permit.REFUSED;
                    }
                    state = State.HALF_OPEN;
                    probes = 1;
                    probesSucceeded = 0;
                }
                case HALF_OPEN -> {
                    if (probes >= settings.halfOpenCalls()) {
                        rejected.increment();
                        return Permit.REFUSED;
                    }
                    probes++;
                    return Permit.PROBE;
                }
            }
        }
        observer.circuitChanged(subgraph, from, State.HALF_OPEN);
        return Permit.PROBE;
    }

    /** The outcome of a call this breaker let through. */
    void record(Permit permit, boolean failed, long now) {
        State from;
        State to;
        synchronized (this) {
            from = state;
            if (permit == Permit.PROBE) {
                if (from != State.HALF_OPEN) return; // a late probe after the breaker moved on
                if (failed) {
                    to = open(now);
                } else if (++probesSucceeded >= settings.halfOpenCalls()) {
                    outcomes.clear();
                    state = to = State.CLOSED;
                } else {
                    return;
                }
            } else {
                if (from != State.CLOSED) return; // a call begun while closed that ended after the breaker opened
                outcomes.add(now, 1, failed ? 1 : 0);
                if (!failed) return;
                long calls = outcomes.first(now);
                if (calls < settings.minimumCalls() || outcomes.second(now) * 100 < calls * settings.failureRatePercent()) return;
                to = open(now);
            }
        }
        observer.circuitChanged(subgraph, from, to);
    }

    /** A call let through ended with an outcome that says nothing of the subgraph (it was not sent after all). */
    synchronized void cancel(Permit permit) {
        if (permit == Permit.PROBE && state == State.HALF_OPEN && probes > 0) probes--;
    }

    private State open(long now) {
        state = State.OPEN;
        openedAt = now;
        opened.increment();
        return State.OPEN;
    }

    /** Whether an answer with this HTTP status counts as a failure. */
    boolean failureStatus(int status) {
        return failureStatuses.contains(status);
    }

    public State state() {
        return state;
    }

    /** Calls refused while open or half-open. */
    public long rejected() {
        return rejected.sum();
    }

    /** How many times it opened. */
    public long timesOpened() {
        return opened.sum();
    }
}
