package io.gatepass.server.token;

import com.nimbusds.jose.JOSEException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Token signatures in arrival order, on one platform thread per core. Each connection's requests run on a virtual
 * thread, and virtual threads are not time-sliced: under saturation the connections whose next request arrives
 * while their thread still holds a core were served again and again, ahead of the rest (one connection got nearly 60 times
 * as many tokens as another in the same run, and the 99th percentile reached 100–190 ms against a few ms in the
 * handler). Handing the signature — the one long step — to a FIFO queue makes every request give up its core
 * there and take its turn; the signing threads are the operating system's to share. Callers on platform threads
 * (benchmarks, tools) sign in place: the operating system already shares the cores among them.
 */
final class SigningQueue {
    private static final ExecutorService SIGNERS = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), Thread.ofPlatform().name("gatepass-signer-", 0).daemon().factory());

    private SigningQueue() {
    }

    /** What the signature is made of; runs on a signing thread. */
    interface Signature {
        String sign() throws JOSEException;
    }

    /** The signature, made in turn on a signing thread when called from a virtual thread, else in place. */
    static String sign(Signature signature) throws JOSEException {
        if (!Thread.currentThread().isVirtual()) return signature.sign();
        try {
            // join waits through an interrupt (a read deadline ending elsewhere) and keeps the flag set
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return signature.sign();
                } catch (JOSEException e) {
                    throw new CompletionException(e);
                }
            }, SIGNERS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof JOSEException failed) throw failed;
            if (e.getCause() instanceof RuntimeException failed) throw failed;
            throw e;
        }
    }
}
