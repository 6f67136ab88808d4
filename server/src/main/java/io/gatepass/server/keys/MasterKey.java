package io.gatepass.server.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts signing keys at rest: {@code GATEPASS_MASTER_KEY} (base64 of 32 bytes) when set,
 * else the file {@value #FILE_NAME} in the data directory, created with mode 0600 on the first start of an empty
 * store. A store that already holds keys never gets a new master key: without the old one, startup stops.
 */
public final class MasterKey {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    public static final String FILE_NAME = "master.key";
    private static final int KEY_BYTES = 32;

    private MasterKey() {
    }

    /**
     * @param configured    the value of GATEPASS_MASTER_KEY, or {@code null}
     * @param storeHasKeys  whether the store already holds signing keys (then the key must already exist)
     * @param sharedStore   whether nodes share the database (then only GATEPASS_MASTER_KEY will do)
     */
    public static SecretKey resolve(String configured, Path dataDir, boolean storeHasKeys, boolean sharedStore) {
        if (configured != null) return fromBase64(configured, "GATEPASS_MASTER_KEY");
        if (sharedStore) {
            // a key file is per machine: every node on a shared database needs the one key
            throw new IllegalStateException("with --database-url, set GATEPASS_MASTER_KEY (the same on every node; "
                    + "for example: openssl rand -base64 32)");
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) return fromFile(file);
        if (storeHasKeys) {
            throw new IllegalStateException("the store holds signing keys but there is no master key to decrypt them: "
                    + "set GATEPASS_MASTER_KEY or restore " + file + " from the backup it was created with");
        }
        return create(file);
    }

    /** {@code GATEPASS_MASTER_KEY_PREVIOUS}: the key a rotation replaces, or {@code null}. */
    public static SecretKey previous(String configured) {
        if (configured == null || configured.isBlank()) return null;
        return fromBase64(configured, "GATEPASS_MASTER_KEY_PREVIOUS");
    }

    private static SecretKey fromFile(Path file) {
        try {
            return fromBase64(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file " + file, e);
        }
    }

    private static SecretKey fromBase64(String value, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be base64 (for example: openssl rand -base64 32)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + " must hold " + KEY_BYTES + " bytes (256 bits), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static SecretKey create(Path file) {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        String encoded = Base64.getEncoder().encodeToString(bytes);
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: rely on the directory's protection
                LOG.warn("{} could not be created with mode 0600 on this file system; protect the data directory", file);
            }
            Files.writeString(file, encoded + "\n");
        } catch (FileAlreadyExistsException e) {
            return fromFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the master key file " + file, e);
        }
        LOG.info("created master key {} (mode 0600); back it up apart from the database: without it the signing keys "
                + "cannot be read", file);
        return new SecretKeySpec(bytes, "AES");
    }
}
