package dev.vestibule.router.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Single flight: who runs the call, what joiners get, and that nothing outlives the call. */
class SharedCallsTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final SharedCalls<String, Object> calls = new SharedCalls<>();
    private final AtomicInteger runs = new AtomicInteger();

    /** A call that counts its runs and blocks until {@code release} opens. */
    private SharedCalls.Call<Object, Failed> blocking(CountDownLatch started, CountDownLatch release, Object result) {
        return () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (result instanceof Failed failed) throw failed;
            return result;
        };
    }

    private Object run(String key, long deadline, SharedCalls.Call<Object, Failed> call) throws Failed {
        return calls.run(key, System.nanoTime() + deadline, call, miss -> new Failed("missed: " + miss), Failed.class);
    }

    @Test
    void aJoinerGetsTheLeadersResultAndTheCallRunsOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object result = new Object();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> leader = threads.submit(() -> run("k", LONG, blocking(started, release, result)));
            started.await();
            Future<Object> joiner = threads.submit(() -> run("k", LONG, blocking(new CountDownLatch(1), release, new Object())));
            assertThat(joinerWaiting(joiner)).isTrue();
            release.countDown();
            assertThat(leader.get()).isSameAs(result);
            assertThat(joiner.get()).isSameAs(result);
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(calls.size()).isZero();
    }

    /** The joiner has had time to find the leader's call (it cannot be observed directly). */
    private static boolean joinerWaiting(Future<Object> joiner) throws InterruptedException {
        Thread.sleep(50);
        return !joiner.isDone();
    }

    @Test
    void theLeadersFailureReachesTheJoinerAsTheSameException() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Failed failure = new Failed("subgraph down");
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> leader = threads.submit(() -> run("k", LONG, blocking(started, release, failure)));
            started.await();
            Future<Object> joiner = threads.submit(() -> run("k", LONG, blocking(new CountDownLatch(1), release, "not run")));
            assertThat(joinerWaiting(joiner)).isTrue();
            release.countDown();
            assertThatThrownBy(leader::get).hasCause(failure);
            assertThatThrownBy(joiner::get).hasCause(failure);
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aJoinerGivesUpAtItsOwnDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> leader = threads.submit(() -> run("k", LONG, blocking(started, release, "late")));
            started.await();
            assertThatThrownBy(() -> run("k", TimeUnit.MILLISECONDS.toNanos(100), blocking(new CountDownLatch(1), release, "x")))
                    .isInstanceOf(Failed.class).hasMessage("missed: TimedOut[]");
            release.countDown();
            assertThat(leader.get()).isEqualTo("late");
        }
    }

    @Test
    void aJoinerWithALaterDeadlineGivesUpWhenTheLeaderOverrunsItsOwn() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // the leader's call ignores its 150 ms deadline; the joiner (30 s) must not wait for it beyond that deadline
            Future<Object> leader = threads.submit(() -> run("k", TimeUnit.MILLISECONDS.toNanos(150), blocking(started, release, "late")));
            started.await();
            Future<Object> joiner = threads.submit(() -> run("k", LONG, blocking(new CountDownLatch(1), release, "x")));
            try {
                assertThatThrownBy(() -> joiner.get(10, TimeUnit.SECONDS))
                        .cause().isInstanceOf(Failed.class).hasMessage("missed: TimedOut[]");
                // the flight is over once its leader's deadline passed: a new caller runs the call itself
                assertThat(run("k", LONG, () -> "fresh")).isEqualTo("fresh");
            } finally {
                release.countDown();
            }
            assertThat(leader.get()).isEqualTo("late");
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void nothingIsCachedOnceTheCallReturns() throws Exception {
        assertThat(run("k", LONG, () -> runs.incrementAndGet())).isEqualTo(1);
        assertThat(run("k", LONG, () -> runs.incrementAndGet())).isEqualTo(2);
        assertThat(run("other", LONG, () -> runs.incrementAndGet())).isEqualTo(3);
    }
}
