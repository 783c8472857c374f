package dev.vestibule.router.subgraph.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one subgraph ({@link TrafficPolicy#urls()}), the balancing between them and passive outlier
 * detection ({@link TrafficPolicy.OutlierDetection}).
 *
 * <p>An instance is in, ejected (until a moment), or on probation: once its ejection is over it takes one call at a
 * time, and the first success takes it back in (its failures forgotten) while a failure ejects it again for longer.
 * Ejection never takes out more than the pool's allowed share; when every instance is out anyway (a one-instance pool,
 * or all failing at once), calls go to all of them rather than to none.
 */
final class InstancePool {
    private static final Logger LOG = LoggerFactory.getLogger(InstancePool.class);

    /** One instance's URL and state; the number is its place in the configured list (what logs and metrics name). */
    static final class Instance {
        final int number;
        final String url;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        /** Guarded by the pool: ejected until then (nanoTime); Long.MIN_VALUE when in. */
        long ejectedUntil = Long.MIN_VALUE;
        /** Guarded by the pool: times ejected in a row (the next ejection lasts that many base ejections). */
        int ejections;
        /** Guarded by the pool: when it was last taken back in. */
        long restoredAt;
        /** Guarded by the pool: on probation, a call is out to it (no other call goes until it answers). */
        boolean probing;
        volatile boolean out;
        /** Taken out by the active health checks (apart from passive ejection: either keeps calls away). */
        volatile boolean unhealthy;

        Instance(int number, String url) {
            this.number = number;
            this.url = url;
        }
    }

    private final String subgraph;
    private final List<Instance> instances;
    private final TrafficPolicy.Balance balance;
    private final TrafficPolicy.OutlierDetection outlier;
    private final TrafficObserver observer;
    private final TrafficPolicy.HealthCheck health;
    private final int maxEjected;
    private final AtomicLong turn = new AtomicLong();
    private final AtomicLong ejectionsTotal = new AtomicLong();

    InstancePool(String subgraph, List<String> urls, TrafficPolicy.Balance balance, TrafficPolicy.OutlierDetection outlier,
                 TrafficPolicy.HealthCheck health, TrafficObserver observer) {
        this.health = health;
        this.subgraph = subgraph;
        List<Instance> list = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) list.add(new Instance(i, urls.get(i)));
        this.instances = List.copyOf(list);
        this.balance = balance;
        this.outlier = outlier;
        this.observer = observer;
        this.maxEjected = Math.max(1, urls.size() * outlier.maxEjectedPercent() / 100);
    }

    /** The instance for the next call (its outstanding count taken: give it back with {@link #done}). */
    Instance pick(long now) {
        Instance chosen = balance == TrafficPolicy.Balance.ROUND_ROBIN ? roundRobin(now) : leastRequests(now);
        chosen.outstanding.incrementAndGet();
        return chosen;
    }

    private Instance roundRobin(long now) {
        int n = instances.size();
        long start = turn.getAndIncrement();
        for (int i = 0; i < n; i++) {
            Instance candidate = instances.get((int) Math.floorMod(start + i, n));
            if (available(candidate, now)) return candidate;
        }
        return instances.get((int) Math.floorMod(start, n));
    }

    /** Power of two choices: two instances drawn at random, the one with fewer calls in flight. */
    private Instance leastRequests(long now) {
        int n = instances.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (n == 1) {
            Instance only = instances.getFirst();
            available(only, now);
            return only;
        }
        Instance a = null;
        Instance b = null;
        // a few draws find the instances in; with most out, walk the list from a random place
        for (int i = 0; i < 4 && b == null; i++) {
            Instance candidate = instances.get(random.nextInt(n));
            if (candidate == a || !available(candidate, now)) continue;
            if (a == null) a = candidate;
            else b = candidate;
        }
        if (b == null) {
            int start = random.nextInt(n);
            for (int i = 0; i < n && b == null; i++) {
                Instance candidate = instances.get((start + i) % n);
                if (candidate == a || !available(candidate, now)) continue;
                if (a == null) a = candidate;
                else b = candidate;
            }
        }
        if (a == null) return instances.get(random.nextInt(n)); // every instance out: all of them rather than none
        if (b == null) return a;
        return b.outstanding.get() < a.outstanding.get() ? b : a;
    }

    /**
     * Whether a call may go to {@code instance} now: it is in, or its ejection is over and no probe is out to it (the
     * call becomes the probe).
     */
    private boolean available(Instance instance, long now) {
        if (instance.unhealthy) return false;
        if (!instance.out) return true;
        synchronized (this) {
            if (!instance.out) return true;
            if (now - instance.ejectedUntil < 0 || instance.probing) return false;
            instance.probing = true;
            return true;
        }
    }

    /** A call to {@code instance} ended: {@code failed} when it got no answer or an HTTP 5xx. */
    void done(Instance instance, boolean failed, long now) {
        instance.outstanding.decrementAndGet();
        if (!failed) {
            instance.consecutiveFailures.set(0);
            if (instance.out) restore(instance, now);
            return;
        }
        int failures = instance.consecutiveFailures.incrementAndGet();
        if (instance.out) {
            eject(instance, now, true);
        } else if (failures >= outlier.consecutiveFailures()) {
            eject(instance, now, false);
        }
    }

    /** A call to {@code instance} ended without telling anything of it (it was not sent after all). */
    void cancelled(Instance instance) {
        instance.outstanding.decrementAndGet();
        synchronized (this) {
            instance.probing = false;
        }
    }

    private void restore(Instance instance, long now) {
        synchronized (this) {
            if (!instance.out || !instance.probing) return;
            instance.out = false;
            instance.probing = false;
            instance.ejectedUntil = Long.MIN_VALUE;
            instance.restoredAt = now;
        }
        LOG.info("subgraph {} instance {} ({}) answered its probe and is back in the pool", subgraph, instance.number, instance.url);
        observer.instanceRestored(subgraph, instance.number);
    }

    /** Ejects {@code instance}, or ejects it again after a failed probe ({@code again}). */
    private void eject(Instance instance, long now, boolean again) {
        Duration ejection;
        synchronized (this) {
            if (again) {
                if (!instance.probing) return; // a late failure of a call sent before the ejection
            } else {
                if (instance.out || ejectedNow() >= maxEjected) return;
                // an instance that stayed in for longer than its last ejection starts again from the base time
                long last = outlier.baseEjection().toNanos() * Math.max(1, instance.ejections);
                if (instance.ejections > 0 && now - instance.restoredAt > last) instance.ejections = 0;
            }
            instance.ejections++;
            ejection = outlier.baseEjection().multipliedBy(instance.ejections);
            if (ejection.compareTo(outlier.maxEjection()) > 0) ejection = outlier.maxEjection();
            instance.ejectedUntil = now + ejection.toNanos();
            instance.probing = false;
            instance.out = true;
            instance.consecutiveFailures.set(0);
        }
        ejectionsTotal.incrementAndGet();
        LOG.warn("subgraph {} instance {} ({}) ejected for {} ms after {}", subgraph, instance.number, instance.url,
                ejection.toMillis(), again ? "its probe failed" : outlier.consecutiveFailures() + " consecutive failures");
        observer.instanceEjected(subgraph, instance.number, ejection);
    }

    /** The active health checks found {@code instance} failing: no call goes to it until they find it passing. */
    void unhealthy(Instance instance, String why) {
        if (instance.unhealthy) return;
        instance.unhealthy = true;
        LOG.warn("subgraph {} instance {} ({}) failed {} health checks in a row ({}): out of the pool until it passes them",
                subgraph, instance.number, instance.url, health.unhealthyThreshold(), why);
        observer.instanceUnhealthy(subgraph, instance.number);
    }

    /** The active health checks found {@code instance} passing again: back in the pool (its failures forgotten). */
    void healthy(Instance instance) {
        if (!instance.unhealthy) return;
        instance.consecutiveFailures.set(0);
        instance.unhealthy = false;
        LOG.info("subgraph {} instance {} ({}) passed {} health checks in a row: back in the pool", subgraph, instance.number,
                instance.url, health.healthyThreshold());
        observer.instanceHealthy(subgraph, instance.number);
    }

    String subgraph() {
        return subgraph;
    }

    TrafficPolicy.HealthCheck health() {
        return health;
    }

    private int ejectedNow() {
        int count = 0;
        for (Instance instance : instances) if (instance.out) count++;
        return count;
    }

    List<Instance> instances() {
        return instances;
    }

    long ejections() {
        return ejectionsTotal.get();
    }
}
