package vn.landgis.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Local accounts over HTTP Basic, with what a bare password check on every request lacks.
 *
 * <ul>
 *   <li><b>Guessing is throttled.</b> After {@link Limits#perAccountAndAddress()} wrong passwords for one account from
 *   one address, or {@link Limits#perAddress()} from one address for any accounts, within {@link Limits#window()},
 *   that address is refused ({@link TooManyAttempts}: 429 with {@code Retry-After}) until the window ends, without a
 *   password hash being computed. The account itself is not locked: someone guessing from elsewhere cannot lock an
 *   officer out. The address is the request's remote address; behind a reverse proxy, configure Tomcat's
 *   {@code server.forward-headers-strategy=native} with the proxy as an internal proxy so that it is the client's.</li>
 *   <li><b>A verified password is remembered</b> for {@link Limits#remember()}: a stateless client sends its
 *   password with every request, and bcrypt's deliberate 50-100 ms per check would otherwise be paid on each (and
 *   would let anyone burn the CPU with well-formed headers). What is kept is an HMAC of (user, password) under a
 *   key made at start-up, never the password. A disabled account or a changed password takes effect within that
 *   time.</li>
 * </ul>
 * Both tables are bounded ({@link Limits#maxEntries()}); expired entries are dropped when a table is full.
 * Thread-safe.
 */
final class LocalAccountAuthentication implements AuthenticationProvider {

    /**
     * @param perAccountAndAddress wrong passwords for one account from one address before that pair is refused
     * @param perAddress           wrong passwords from one address (any accounts) before the address is refused
     * @param window               how long failures count and a refusal lasts
     * @param remember             how long a verified password is taken without checking its hash again
     * @param maxEntries           bound of each table
     */
    record Limits(int perAccountAndAddress, int perAddress, Duration window, Duration remember, int maxEntries) {
        static final Limits DEFAULT = new Limits(5, 50, Duration.ofMinutes(15), Duration.ofSeconds(60), 100_000);
    }

    /** Too many wrong passwords from this address: answered 429 with {@code Retry-After}. */
    static final class TooManyAttempts extends AuthenticationException {
        private final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super("too many failed sign-ins; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private record Remembered(Authentication authentication, long until) {
    }

    private record Failures(int count, long windowEnds) {
    }

    private final AuthenticationProvider passwords;
    private final Limits limits;
    private final LongSupplier clock;
    private final SecretKeySpec rememberKey;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** @param passwords the checking provider (a {@code DaoAuthenticationProvider} over the accounts table) */
    LocalAccountAuthentication(AuthenticationProvider passwords, Limits limits, LongSupplier clock) {
        this.passwords = passwords;
        this.limits = limits;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String address = authentication.getDetails() instanceof WebAuthenticationDetails d && d.getRemoteAddress() != null
                ? d.getRemoteAddress() : "";
        long now = clock.getAsLong();
        String pair = "p:" + user + "\u0000" + address;
        String from = "a:" + address;
        refuseIfOver(pair, limits.perAccountAndAddress(), now);
        refuseIfOver(from, limits.perAddress(), now);

        String key = hmac(user + "\u0000" + password);
        Remembered known = verified.get(key);
        if (known != null && known.until() > now) {
            return known.authentication();
        }
        Authentication result;
        try {
            result = passwords.authenticate(authentication);
        } catch (BadCredentialsException e) {
            fail(pair, now);
            fail(from, now);
            throw e;
        }
        failures.remove(pair);
        if (result != null) {
            // a copy without credentials: the provider manager erases the returned token's, not the kept one's
            var kept = UsernamePasswordAuthenticationToken.authenticated(result.getPrincipal(), null, result.getAuthorities());
            kept.setDetails(result.getDetails());
            bounded(verified, now, (k, v) -> v.until() <= now);
            verified.put(key, new Remembered(kept, now + limits.remember().toMillis()));
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }

    private void refuseIfOver(String key, int max, long now) {
        Failures f = failures.get(key);
        if (f != null && f.windowEnds() > now && f.count() >= max) {
            throw new TooManyAttempts(Math.max(1, (f.windowEnds() - now + 999) / 1000));
        }
    }

    private void fail(String key, long now) {
        bounded(failures, now, (k, v) -> v.windowEnds() <= now);
        failures.compute(key, (k, f) -> f == null || f.windowEnds() <= now
                ? new Failures(1, now + limits.window().toMillis())
                : new Failures(f.count() + 1, f.windowEnds()));
    }

    /** Makes room in a full table: expired entries first, everything if that is not enough (a flood of fresh keys). */
    private <V> void bounded(Map<String, V> table, long now, java.util.function.BiPredicate<String, V> expired) {
        if (table.size() >= limits.maxEntries()) {
            table.entrySet().removeIf(e -> expired.test(e.getKey(), e.getValue()));
            if (table.size() >= limits.maxEntries()) {
                table.clear();
            }
        }
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
