package io.gatepass.server.store.sql;

import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.InitialAccessToken;
import io.gatepass.server.domain.InitialAccessToken.GrantTemplate;
import io.gatepass.server.store.InitialAccessTokenRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

final class SqlInitialAccessTokenRepository implements InitialAccessTokenRepository {
    private static final HexFormat HEX = HexFormat.of();
    private static final String COLUMNS = "id, name, digest, created_by, created_at, expires_at, max_uses, uses, grants, "
            + "allowed_auth_methods";

    private final Handle handle;

    SqlInitialAccessTokenRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(InitialAccessToken token) {
        handle.createUpdate("INSERT INTO initial_access_tokens (" + COLUMNS + ") VALUES (:id, :name, :digest, :createdBy, "
                        + ":created, :expires, :maxUses, :uses, :grants, :methods)")
                .bind("id", token.id())
                .bind("name", token.name())
                .bind("digest", HEX.formatHex(token.digest()))
                .bind("createdBy", token.createdBy())
                .bind("created", token.createdAt().toEpochMilli())
                .bind("expires", token.expiresAt().toEpochMilli())
                .bind("maxUses", token.maxUses())
                .bind("uses", token.uses())
                .bind("grants", grants(token.grants()))
                .bind("methods", token.allowedAuthMethods().isEmpty() ? null : token.allowedAuthMethods().stream()
                        .map(ClientAuthMethod::value).sorted().collect(Collectors.joining(" ")))
                .execute();
    }

    @Override
    public List<InitialAccessToken> list(int limit, int offset) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM initial_access_tokens ORDER BY created_at, id "
                        + "LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> row(rs)).list();
    }

    @Override
    public Optional<InitialAccessToken> find(String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM initial_access_tokens WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public Optional<InitialAccessToken> findByDigest(byte[] digest) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM initial_access_tokens WHERE digest = :digest")
                .bind("digest", HEX.formatHex(digest)).map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public boolean consume(String id, Instant now) {
        return handle.createUpdate("UPDATE initial_access_tokens SET uses = uses + 1 "
                        + "WHERE id = :id AND uses < max_uses AND expires_at > :now")
                .bind("id", id).bind("now", now.toEpochMilli()).execute() == 1;
    }

    @Override
    public boolean delete(String id) {
        return handle.createUpdate("DELETE FROM initial_access_tokens WHERE id = :id").bind("id", id).execute() > 0;
    }

    /** A line per API: its id, then its scopes (RFC 6749 scope tokens hold neither spaces nor line breaks). */
    private static String grants(List<GrantTemplate> grants) {
        return grants.stream().map(g -> g.apiId() + (g.scopes().isEmpty() ? "" : " " + String.join(" ", g.scopes().stream().sorted().toList())))
                .collect(Collectors.joining("\n"));
    }

    private static List<GrantTemplate> grants(String text) {
        List<GrantTemplate> grants = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            String[] parts = line.split(" ");
            grants.add(new GrantTemplate(parts[0], new LinkedHashSet<>(Arrays.asList(parts).subList(1, parts.length))));
        }
        return grants;
    }

    private static InitialAccessToken row(ResultSet rs) throws SQLException {
        String methods = rs.getString("allowed_auth_methods");
        Set<ClientAuthMethod> allowed = new LinkedHashSet<>();
        if (methods != null) {
            for (String value : methods.split(" ")) ClientAuthMethod.parse(value).ifPresent(allowed::add);
        }
        return new InitialAccessToken(rs.getString("id"), rs.getString("name"), HEX.parseHex(rs.getString("digest")),
                rs.getString("created_by"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")), rs.getInt("max_uses"), rs.getInt("uses"),
                grants(rs.getString("grants")), allowed);
    }
}
