package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the layout of every page needs: its title, the section it belongs to, who is signed in, the session's CSRF
 * token for forms, and the scopes that decide which sections and actions are offered.
 *
 * @param notice a line saying what the last change did, or {@code null}
 */
public record Page(String title, String section, String clientId, String csrf, Set<String> scopes, String notice) {
    public record NavItem(String href, String label, boolean current) {
    }

    public boolean can(String scope) {
        return scopes.contains(scope);
    }

    /** The sections this session may read; the others are not shown. */
    public List<NavItem> nav() {
        List<NavItem> items = new ArrayList<>();
        items.add(new NavItem("/console", "Overview", section.equals("overview")));
        if (can(AdminScopes.APIS_READ)) items.add(new NavItem("/console/apis", "APIs", section.equals("apis")));
        if (can(AdminScopes.CLIENTS_READ)) {
            items.add(new NavItem("/console/apps", "Apps", section.equals("apps")));
            if (can(AdminScopes.APIS_READ)) items.add(new NavItem("/console/grants", "Grants", section.equals("grants")));
        }
        if (can(AdminScopes.KEYS_READ)) items.add(new NavItem("/console/keys", "Keys", section.equals("keys")));
        if (can(AdminScopes.AUDIT_READ)) items.add(new NavItem("/console/audit", "Audit", section.equals("audit")));
        return items;
    }

    public String scopeList() {
        return String.join(" ", new java.util.TreeSet<>(scopes));
    }
}
