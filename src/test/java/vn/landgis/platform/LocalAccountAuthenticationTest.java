package vn.landgis.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Throttling and remembering around the real bcrypt check (an in-memory account, the production encoder). */
class LocalAccountAuthenticationTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger hashChecks = new AtomicInteger();
    private final LocalAccountAuthentication auth;

    LocalAccountAuthenticationTest() {
        var users = new InMemoryUserDetailsManager(
                User.withUsername("officer").password(UserAccounts.PASSWORDS.encode("a-long-enough-password")).roles("LAND_OFFICER").build(),
                User.withUsername("planner").password(UserAccounts.PASSWORDS.encode("another-long-password")).roles("PLANNER").build());
        var dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(UserAccounts.PASSWORDS);
        AuthenticationProvider counting = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication a) {
                hashChecks.incrementAndGet();
                return dao.authenticate(a);
            }

            @Override
            public boolean supports(Class<?> type) {
                return dao.supports(type);
            }
        };
        auth = new LocalAccountAuthentication(counting,
                new LocalAccountAuthentication.Limits(5, 8, Duration.ofMinutes(15), Duration.ofSeconds(60), 1_000), now::get);
    }

    private static Authentication attempt(String user, String password, String address) {
        var token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        token.setDetails(new WebAuthenticationDetails(request));
        return token;
    }

    @Test
    void aVerifiedPasswordIsRememberedForAMinuteAndThenCheckedAgain() {
        Authentication first = auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.1"));
        assertThat(first.isAuthenticated()).isTrue();
        assertThat(first.getAuthorities()).extracting(Object::toString).contains("ROLE_LAND_OFFICER");
        for (int i = 0; i < 20; i++) {
            now.addAndGet(1_000);
            assertThat(auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.1")).getName()).isEqualTo("officer");
        }
        assertThat(hashChecks.get()).isEqualTo(1);
        // a different password is never answered from memory
        assertThatThrownBy(() -> auth.authenticate(attempt("officer", "a-long-enough-passwore", "10.0.0.1")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(hashChecks.get()).isEqualTo(2);
        now.addAndGet(61_000);
        auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.1"));
        assertThat(hashChecks.get()).isEqualTo(3);
    }

    @Test
    void fiveWrongPasswordsRefuseThatAddressForTheAccountButNotTheAccountElsewhere() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.authenticate(attempt("officer", "guess-" + now.get(), "203.0.113.9")))
                    .isInstanceOf(BadCredentialsException.class);
            now.addAndGet(10_000);
        }
        int checks = hashChecks.get();
        // refused without a hash being computed, even with the right password, and told when to come back
        assertThatThrownBy(() -> auth.authenticate(attempt("officer", "a-long-enough-password", "203.0.113.9")))
                .isInstanceOfSatisfying(LocalAccountAuthentication.TooManyAttempts.class,
                        e -> assertThat(e.retryAfterSeconds()).isBetween(14 * 60L, 15 * 60L));
        assertThat(hashChecks.get()).isEqualTo(checks);
        // the officer at the office is not locked out by someone guessing elsewhere
        assertThat(auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.1")).isAuthenticated()).isTrue();
        // and the guesser's address may still sign in to another account
        assertThat(auth.authenticate(attempt("planner", "another-long-password", "203.0.113.9")).isAuthenticated()).isTrue();
        // once the window is over, the address may try again
        now.addAndGet(15 * 60_000);
        assertThat(auth.authenticate(attempt("officer", "a-long-enough-password", "203.0.113.9")).isAuthenticated()).isTrue();
    }

    @Test
    void manyWrongPasswordsFromOneAddressOverManyAccountsRefuseTheAddress() {
        for (int i = 0; i < 8; i++) {
            String user = "user" + i;
            assertThatThrownBy(() -> auth.authenticate(attempt(user, "whatever-it-is", "198.51.100.7")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> auth.authenticate(attempt("planner", "another-long-password", "198.51.100.7")))
                .isInstanceOf(LocalAccountAuthentication.TooManyAttempts.class);
        assertThat(auth.authenticate(attempt("planner", "another-long-password", "198.51.100.8")).isAuthenticated()).isTrue();
    }

    @Test
    void aSuccessClearsTheAccountsFailuresFromThatAddress() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.authenticate(attempt("officer", "typo-" + now.incrementAndGet(), "10.0.0.2")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.2"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.authenticate(attempt("officer", "typo-" + now.incrementAndGet(), "10.0.0.2")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(auth.authenticate(attempt("officer", "a-long-enough-password", "10.0.0.2")).isAuthenticated()).isTrue();
    }
}
