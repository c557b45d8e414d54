package vn.landgis.platform;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The roles of landgis users. Anonymous callers are citizens. Only land officers see personal data
 * (parties and rights, reporters' contacts) and write to the register.
 */
public final class Roles {
    public static final String LAND_OFFICER = "LAND_OFFICER";
    public static final String PLANNER = "PLANNER";
    public static final String INVESTOR = "INVESTOR";
    public static final String CITIZEN = "CITIZEN";
    public static final String IOC = "IOC";

    public static final Set<String> ALL = Set.of(LAND_OFFICER, PLANNER, INVESTOR, CITIZEN, IOC);
    /** Roles a local account may hold (citizens need no account). */
    public static final Set<String> ASSIGNABLE = Set.of(LAND_OFFICER, PLANNER, INVESTOR, IOC);

    private Roles() {
    }

    /** A role name as an identity provider may spell it ("land_officer", "ROLE_LAND_OFFICER"), if it is one of ours. */
    public static Optional<String> normalise(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.startsWith("ROLE_")) {
            n = n.substring(5);
        }
        return ALL.contains(n) ? Optional.of(n) : Optional.empty();
    }

    /** True when the authenticated principal is a land officer. */
    public static boolean isOfficer(org.springframework.security.core.Authentication auth) {
        if (auth == null || !auth.isAuthenticated()) {
            return false;
        }
        // a loop, not a stream: this runs on every point look-up (bench/lookup.md)
        for (org.springframework.security.core.GrantedAuthority a : auth.getAuthorities()) {
            if (OFFICER_AUTHORITY.equals(a.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    private static final String OFFICER_AUTHORITY = "ROLE_" + LAND_OFFICER;
}
