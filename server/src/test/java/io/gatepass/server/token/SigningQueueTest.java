package io.gatepass.server.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SigningQueueTest {

    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.set(work.call());
            } catch (Exception e) {
                failure.set(e);
            }
        }).join();
        if (failure.get() != null) throw failure.get();
        return result.get();
    }

    @Test
    void signWhenCalledFromAVirtualThreadThenItRunsOnASigningThread() throws Exception {
        String signedOn = onVirtualThread(() -> SigningQueue.sign(() -> Thread.currentThread().getName()));

        assertThat(signedOn).startsWith("gatepass-signer-");
    }

    @Test
    void signWhenCalledFromAPlatformThreadThenItRunsInPlace() throws Exception {
        assertThat(SigningQueue.sign(() -> Thread.currentThread().getName())).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void signWhenTheSignerFailsThenTheCallerGetsItsException() throws Exception {
        JOSEException failure = new JOSEException("no key");

        Exception thrown = onVirtualThread(() -> {
            try {
                SigningQueue.sign(() -> {
                    throw failure;
                });
                return null;
            } catch (JOSEException e) {
                return e;
            }
        });

        assertThat(thrown).isSameAs(failure);
    }

    @Test
    void signWhenTheCallerIsInterruptedWhileWaitingThenTheSignatureArrivesAndTheFlagStays() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                result.set(SigningQueue.sign(() -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return "signature";
                }));
            } catch (JOSEException e) {
                result.set("failed: " + e);
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        caller.interrupt();
        release.countDown();
        caller.join();

        assertThat(result.get()).isEqualTo("signature");
        assertThat(interrupted.get()).isTrue();
    }
}
