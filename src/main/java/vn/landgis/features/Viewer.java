package vn.landgis.features;

import java.util.Collection;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who is looking: the caller's roles (without the {@code ROLE_} prefix). Decides which layers and attributes a
 * query may touch; an anonymous caller is a citizen.
 */
public record Viewer(Set<String> roles) {

    public static final Viewer CITIZEN = new Viewer(Set.of("CITIZEN"));

    public Viewer {
        roles = Set.copyOf(roles);
    }

    public static Viewer of(Authentication authentication) {
        if (authentication == null) {
            return CITIZEN;
        }
        Set<String> roles = new java.util.HashSet<>();
        for (GrantedAuthority a : authentication.getAuthorities()) {
            String name = a.getAuthority();
            if (name != null && name.startsWith("ROLE_") && !name.equals("ROLE_ANONYMOUS")) {
                roles.add(name.substring(5));
            }
        }
        return roles.isEmpty() ? CITIZEN : new Viewer(roles);
    }

    /** True when the permission list is empty (public) or names one of the caller's roles. */
    public boolean mayAccess(Collection<String> allowed) {
        if (allowed.isEmpty()) {
            return true;
        }
        for (String r : allowed) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** A stable key for caches that hold role-dependent answers. */
    public String cacheKey() {
        return String.join("+", new java.util.TreeSet<>(roles));
    }
}
