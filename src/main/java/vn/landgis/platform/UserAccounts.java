package vn.landgis.platform;

import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Local accounts: created by the {@code create-user} command, passwords stored hashed (bcrypt by default). */
@Service
public class UserAccounts {

    static final int MIN_PASSWORD_LENGTH = 12;

    private final JdbcTemplate jdbc;
    private final PasswordEncoder encoder;

    UserAccounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.encoder = PASSWORDS;
    }

    /** Hashes with bcrypt and reads any hash Spring Security knows ({id} prefixed), so the algorithm can move on. */
    static final PasswordEncoder PASSWORDS = org.springframework.security.crypto.factory.PasswordEncoderFactories.createDelegatingPasswordEncoder();

    /** Creates or replaces the account; refuses weak passwords and unknown roles. */
    public void save(String username, char[] password, Set<String> roles) {
        if (username == null || !username.matches("[a-z0-9._-]{3,64}")) {
            throw new IllegalArgumentException("username: 3-64 characters of a-z 0-9 . _ -");
        }
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password: at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (roles.isEmpty() || !Roles.ASSIGNABLE.containsAll(roles)) {
            throw new IllegalArgumentException("roles: one or more of " + Roles.ASSIGNABLE);
        }
        String hash = encoder.encode(new String(password));
        jdbc.update("""
                INSERT INTO platform.user_account (username, password_hash, roles) VALUES (?, ?, ?::text[])
                ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles, enabled = true""",
                username, hash, "{" + String.join(",", List.copyOf(roles)) + "}");
        jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES ('cli', 'save-user', ?, jsonb_build_object('roles', ?::text))",
                "platform.user_account:" + username, String.join(",", roles));
    }
}
