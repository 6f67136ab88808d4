package io.gatepass.server.keys;

import java.security.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JCA provider signs and verifies: the Amazon Corretto Crypto Provider (AWS-LC, native) when its jar for
 * this platform is on the class path, loads, and passes its own health check; the JDK's providers otherwise.
 * It is looked up by name, so the server builds and runs where ACCP has no build.
 */
public final class CryptoProviders {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
    private static final String ACCP = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private final Provider native_;
    private final String description;

    private CryptoProviders(Provider nativeProvider, String description) {
        this.native_ = nativeProvider;
        this.description = description;
    }

    /** The JDK's providers only. */
    public static CryptoProviders jdk() {
        return new CryptoProviders(null, "JDK");
    }

    /** ACCP when it is present and healthy, else the JDK's providers; says which in the log. */
    public static CryptoProviders detect() {
        try {
            Class<?> type = Class.forName(ACCP);
            Provider provider = (Provider) type.getField("INSTANCE").get(null);
            type.getMethod("assertHealthy").invoke(provider);
            CryptoProviders chosen = new CryptoProviders(provider, provider.getName() + " " + provider.getVersionStr());
            LOG.info("signing with {} (native AWS-LC)", chosen.description);
            return chosen;
        } catch (ClassNotFoundException e) {
            LOG.info("signing with the JDK providers (no native crypto provider for this platform)");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            LOG.warn("the native crypto provider did not load or is unhealthy ({}); signing with the JDK providers",
                    cause == null ? e.toString() : cause.toString());
        }
        return jdk();
    }

    /** The native provider, or {@code null} for the JDK's. */
    public Provider preferred() {
        return native_;
    }

    /** For logs and {@code /health/ready}: {@code AmazonCorrettoCryptoProvider 2.5.0} or {@code JDK}. */
    public String description() {
        return description;
    }

    /**
     * A key as {@code provider}'s own key object (a provider signs and verifies faster with its own), or the key
     * itself for the JDK's providers ({@code null}).
     */
    @SuppressWarnings("unchecked")
    public static <K extends java.security.Key> K translate(String algorithm, K key, java.security.Provider provider)
            throws java.security.GeneralSecurityException {
        return io.gatepass.jose.JwkVerifiers.translate(algorithm, key, provider);
    }
}
