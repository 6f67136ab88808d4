package io.gatepass.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts private JWKs for the store with AES-256-GCM under the master key. The stored form is
 * {@code v1.<nonce>.<ciphertext and tag>} (base64url); the key's kid and algorithm are authenticated data, so a
 * row copied onto another key's row does not decrypt.
 */
public final class KeyEncryption {
    private static final String PREFIX = "v1.";
    private static final int NONCE_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit random nonces
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKey masterKey;
    private final SecretKey previousKey;
    private final SecureRandom random = new SecureRandom();

    public KeyEncryption(SecretKey masterKey) {
        this(masterKey, null);
    }

    /**
     * @param previousKey during a master key rotation, the key being replaced ({@code GATEPASS_MASTER_KEY_PREVIOUS}):
     *                    values it encrypted still decrypt, and {@link #rewrap} moves them to {@code masterKey};
     *                    {@code null} otherwise
     */
    public KeyEncryption(SecretKey masterKey, SecretKey previousKey) {
        this.masterKey = masterKey;
        this.previousKey = previousKey;
    }

    /** Whether a stored value is in the encrypted form (older versions stored the JWK in clear). */
    public static boolean isEncrypted(String stored) {
        return stored.startsWith(PREFIX);
    }

    public String encrypt(String kid, String alg, String privateJwk) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(kid, alg));
            byte[] sealed = cipher.doFinal(privateJwk.getBytes(StandardCharsets.UTF_8));
            return PREFIX + B64.encodeToString(nonce) + "." + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @throws WrongMasterKeyException when neither the master key nor the previous one is the one the value was
     *                                 encrypted with
     */
    public String decrypt(String kid, String alg, String stored) {
        try {
            return open(masterKey, kid, alg, stored);
        } catch (AEADBadTagException e) {
            if (previousKey != null) {
                try {
                    return open(previousKey, kid, alg, stored);
                } catch (AEADBadTagException ignored) {
                    // neither: below
                }
            }
            throw new WrongMasterKeyException(kid);
        }
    }

    /**
     * The value encrypted under the master key when the previous key encrypted it, or {@code null} when it is
     * under the master key already (a master key rotation re-encrypts each signing key once).
     *
     * @throws WrongMasterKeyException when neither key opens it
     */
    public String rewrap(String kid, String alg, String stored) {
        try {
            open(masterKey, kid, alg, stored);
            return null;
        } catch (AEADBadTagException e) {
            return encrypt(kid, alg, decrypt(kid, alg, stored));
        }
    }

    private static String open(SecretKey key, String kid, String alg, String stored) throws AEADBadTagException {
        if (!isEncrypted(stored)) throw new IllegalArgumentException("signing key " + kid + " is not encrypted");
        String[] parts = stored.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) throw new IllegalStateException("signing key " + kid + " in the store is damaged");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, B64D.decode(parts[0])));
            cipher.updateAAD(aad(kid, alg));
            return new String(cipher.doFinal(B64D.decode(parts[1])), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + kid + " in the store is damaged", e);
        }
    }

    private static byte[] aad(String kid, String alg) {
        return (kid + "\n" + alg).getBytes(StandardCharsets.UTF_8);
    }

    /** The master key does not open a stored key: startup must stop, not create new keys over the old ones. */
    public static final class WrongMasterKeyException extends IllegalStateException {
        WrongMasterKeyException(String kid) {
            super("the master key does not decrypt signing key " + kid + ": GATEPASS_MASTER_KEY (or "
                    + MasterKey.FILE_NAME + " in the data directory) is not the key this store was created with; "
                    + "nothing was changed");
        }
    }

    /**
     * A key for another purpose (the DPoP nonce MAC), derived from the master key (HMAC-SHA256 of the purpose's
     * name), so that every node with the master key has it and nothing more is stored.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(masterKey.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("gatepass " + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
