package com.cleversync.account;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Secrets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encrypts Clever tokens at rest with AES-256-GCM. The key comes from {@code clever-sync.token-key}
 * (env {@code CLEVER_TOKEN_KEY}, 32 bytes in base64). Stored form: {@code v1:<key id>:<base64(iv|ciphertext)>},
 * where the key id (first 8 hex digits of the key's SHA-256) tells which key sealed it, so keys can be rotated.
 * Without a key, tokens are refused unless {@code clever-sync.allow-plaintext-tokens} is on (the demo only),
 * in which case they are stored as {@code plain:<token>}.
 */
@Component("tokenCipher")
public class TokenCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String keyId;
    private final boolean allowPlaintext;

    public TokenCipher(@Value("${clever-sync.token-key:}") String base64Key,
                       @Value("${clever-sync.allow-plaintext-tokens:false}") boolean allowPlaintext) {
        this.key = base64Key == null || base64Key.isBlank() ? null : decodeKey(base64Key);
        this.keyId = key == null ? null : keyId(key);
        this.allowPlaintext = allowPlaintext;
    }

    static byte[] decodeKey(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("clever-sync.token-key (CLEVER_TOKEN_KEY) is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("clever-sync.token-key (CLEVER_TOKEN_KEY) must be 32 bytes (AES-256), base64-encoded; got "
                    + bytes.length + " bytes");
        }
        return bytes;
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The id of the current key (first 8 hex digits of its SHA-256), or null without a key. */
    public String keyId() {
        return keyId;
    }

    byte[] key() {
        return key;
    }

    /** The key id a stored token was sealed with, "plain" for a plain-text token, or null when unrecognised. */
    static String sealedWith(String stored) {
        if (stored.startsWith("plain:")) {
            return "plain";
        }
        String[] parts = stored.split(":", 3);
        return parts.length == 3 && parts[0].equals("v1") ? parts[1] : null;
    }

    public String seal(String token) {
        if (key == null) {
            if (allowPlaintext) {
                return "plain:" + token;
            }
            throw new BadInputException("no token encryption key: set CLEVER_TOKEN_KEY (32 random bytes, base64) before storing a Clever token");
        }
        return seal(token, key, keyId);
    }

    static String seal(String token, byte[] key, String keyId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
            byte[] ct = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            return "v1:" + keyId + ":" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    public String open(String stored) {
        if (stored.startsWith("plain:")) {
            String token = stored.substring("plain:".length());
            Secrets.register(token);
            return token;
        }
        if (key == null) {
            throw new IllegalStateException("the stored Clever token is encrypted but no CLEVER_TOKEN_KEY is set");
        }
        String token = open(stored, key, keyId);
        Secrets.register(token);
        return token;
    }

    static String open(String stored, byte[] key, String keyId) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new IllegalStateException("unrecognised stored token format");
        }
        if (!parts[1].equals(keyId)) {
            throw new IllegalStateException("the stored Clever token was sealed with key " + parts[1]
                    + " but CLEVER_TOKEN_KEY is key " + keyId + " (re-encrypt with: rotate-token-key --previous-key-env VAR)");
        }
        try {
            byte[] all = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(parts[1].getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored Clever token cannot be decrypted with CLEVER_TOKEN_KEY");
        }
    }
}
