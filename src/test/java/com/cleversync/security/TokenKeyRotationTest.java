package com.cleversync.security;

import com.cleversync.account.AccountService;
import com.cleversync.account.TokenCipher;
import com.cleversync.clever.CleverClient;
import com.cleversync.reliability.ChildJvm;
import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import com.cleversync.system.AppContext;
import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Clever tokens at rest: AES-GCM under CLEVER_TOKEN_KEY, {@code rotate-token-key} moves every stored token to a new
 * key in one transaction (idempotent, counts only, never a token on screen), and no token is stored without a key
 * outside the demo.
 */
class TokenKeyRotationTest extends DatabaseTest {

    private static final String OLD_KEY = newKey();
    private static final String TOKEN_ON_OLD_KEY = "tok-old-key-5a1d9c0e7b";
    private static final String PLAIN_TOKEN = "tok-demo-plain-3e8f21aa";
    private static final String TOKEN_ON_CURRENT_KEY = "tok-current-key-77c4e0b9";

    @Autowired
    ApplicationContext context;

    @Autowired
    AccountService accounts;

    @Autowired
    TokenCipher cipher;

    @Autowired
    CleverClient clever;

    @TempDir
    Path dir;

    long onOld;
    long plain;
    long onCurrent;

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeEach
    void seedTokens() {
        onOld = connection("On the old key", new TokenCipher(OLD_KEY, false).seal(TOKEN_ON_OLD_KEY));
        plain = connection("Demo, plain text", "plain:" + PLAIN_TOKEN);
        onCurrent = connection("Already rotated", cipher.seal(TOKEN_ON_CURRENT_KEY));
    }

    private long connection(String name, String stored) {
        long account = accounts.createAccount(name, "UTC");
        jdbcTemplate.update("INSERT INTO clever_connection (account_id, clever_district_id, district_name, token) VALUES (?, ?, ?, ?)",
                account, "d" + account, name, stored);
        return account;
    }

    private List<String> storedTokens() {
        return jdbcTemplate.queryForList("SELECT token FROM clever_connection ORDER BY account_id", String.class);
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(AppContext.of(context), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path keyFile(String content) throws Exception {
        Path file = dir.resolve("previous-key");
        Files.writeString(file, content + "\n");
        return file;
    }

    @Test
    void rotationMovesEveryTokenToTheCurrentKeyOnceAndPrintsCountsOnly() throws Exception {
        Path file = keyFile(OLD_KEY);

        Run dry = run("rotate-token-key", "--previous-key-file", file.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("would re-encrypt 1 token(s)", "would encrypt 1 plain-text", "1 already on key " + cipher.keyId());
        assertThat(storedTokens().get(0)).as("a dry run changes nothing").startsWith("v1:").doesNotContain(cipher.keyId());

        Run first = run("rotate-token-key", "--previous-key-file", file.toString());
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(first.out()).contains("re-encrypted 1 token(s) from key ", "to key " + cipher.keyId(),
                "encrypted 1 plain-text token(s)", "1 already on key " + cipher.keyId());
        assertThat(first.all()).doesNotContain(TOKEN_ON_OLD_KEY, PLAIN_TOKEN, TOKEN_ON_CURRENT_KEY, OLD_KEY);
        assertThat(storedTokens()).allMatch(t -> t.startsWith("v1:" + cipher.keyId() + ":"))
                .noneMatch(t -> t.contains(PLAIN_TOKEN));
        assertThat(accounts.credentials(onOld).token()).isEqualTo(TOKEN_ON_OLD_KEY);
        assertThat(accounts.credentials(plain).token()).isEqualTo(PLAIN_TOKEN);
        assertThat(accounts.credentials(onCurrent).token()).isEqualTo(TOKEN_ON_CURRENT_KEY);
        List<String> afterFirst = storedTokens();

        Run again = run("rotate-token-key", "--previous-key-file", file.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("re-encrypted 0 token(s)", "encrypted 0 plain-text", "3 already on key");
        assertThat(storedTokens()).as("a second run rewrites nothing").isEqualTo(afterFirst);
    }

    @Test
    void aTokenOnAnUnknownKeyStopsTheWholeRotationAndNothingChanges() throws Exception {
        long stranger = connection("Sealed elsewhere", new TokenCipher(newKey(), false).seal("tok-unknown-key-0000"));
        List<String> before = storedTokens();

        Run run = run("rotate-token-key", "--previous-key-file", keyFile(OLD_KEY).toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("account " + stranger, "nothing was changed");
        assertThat(storedTokens()).as("one transaction: the tokens before it were not rotated either").isEqualTo(before);
    }

    @Test
    void badPreviousKeysAreRefusedWithoutEchoingThem() throws Exception {
        String notAKey = "this-is-not-base64-key-material!";
        Run garbage = run("rotate-token-key", "--previous-key-file", keyFile(notAKey).toString());
        assertThat(garbage.exit()).isEqualTo(2);
        assertThat(garbage.err()).contains("not a base64 AES-256 key").doesNotContain(notAKey);

        Run same = run("rotate-token-key", "--previous-key-file", keyFile(TEST_TOKEN_KEY).toString());
        assertThat(same.exit()).isEqualTo(2);
        assertThat(same.err()).contains("is the current CLEVER_TOKEN_KEY").doesNotContain(TEST_TOKEN_KEY);

        Run missing = run("rotate-token-key", "--previous-key-file", dir.resolve("absent").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(run("rotate-token-key").exit()).isEqualTo(2);
        assertThat(run("rotate-token-key", "--previous-key-env", "CS_NO_SUCH_VARIABLE").err()).contains("is empty");
    }

    @Test
    void noTokenIsStoredWithoutAKeyExceptInTheDemo() {
        AccountService keyless = new AccountService(jdbc, clever, new TokenCipher("", false));
        long account = accounts.createAccount("No key", "UTC");
        // The token is checked against Clever first; an unreachable Clever would fail earlier, so check the cipher too.
        assertThatThrownBy(() -> new TokenCipher("", false).seal("tok-anything-123"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("CLEVER_TOKEN_KEY");
        assertThatThrownBy(() -> keyless.connect(account, "tok-anything-123")).isInstanceOf(BadInputException.class);
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM clever_connection WHERE account_id = ?", Long.class, account))
                .isZero();

        // The demo alone (clever-sync.allow-plaintext-tokens, set only by the demo command) keeps it in plain text.
        assertThat(new TokenCipher("", true).seal("tok-demo-only-123")).isEqualTo("plain:tok-demo-only-123");
        assertThat(new TokenCipher("", true).open("plain:tok-demo-only-123")).isEqualTo("tok-demo-only-123");
    }

    @Test
    void theProductionPathTakesTheKeysFromTheEnvironment() {
        String newKey = newKey();
        TokenCipher fresh = new TokenCipher(newKey, false);
        jdbcTemplate.update("UPDATE clever_connection SET token = ? WHERE account_id = ?", fresh.seal(TOKEN_ON_CURRENT_KEY), onCurrent);
        TestDatabase db = TestDatabase.get();
        ChildJvm child = ChildJvm.start(Map.of("spring.datasource.url", db.url(), "spring.datasource.username", db.username(),
                        "spring.datasource.password", db.password()),
                Map.of("CLEVER_TOKEN_KEY", newKey, "CLEVER_TOKEN_KEY_PREVIOUS", OLD_KEY), List.of(),
                "rotate-token-key", "--previous-key-env", "CLEVER_TOKEN_KEY_PREVIOUS");
        assertThat(child.waitFor(120)).as(child.output()).isZero();
        String output = child.output();
        assertThat(output).contains("re-encrypted 1 token(s)", "encrypted 1 plain-text token(s)", "1 already on key")
                .doesNotContain(TOKEN_ON_OLD_KEY, PLAIN_TOKEN, TOKEN_ON_CURRENT_KEY, OLD_KEY, newKey);
        List<String> stored = storedTokens();
        assertThat(fresh.open(stored.get(0))).isEqualTo(TOKEN_ON_OLD_KEY);
        assertThat(fresh.open(stored.get(1))).isEqualTo(PLAIN_TOKEN);
        assertThat(fresh.open(stored.get(2))).isEqualTo(TOKEN_ON_CURRENT_KEY);
    }
}
