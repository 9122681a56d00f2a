package io.pyairtable.metrics.examples.spring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Users from the database, cached in Caffeine: the cache is built from the starter's
 * {@code Caffeine} bean, so its hits and misses land in {@code cache_operations_total}.
 *
 * <pre>{@code
 * Optional<User> ada = directory.find(1);
 * }</pre>
 */
@Service
public class UserDirectory {

  /** One user of a workspace. */
  public record User(long id, String name, String workspaceId) {}

  private final JdbcClient jdbc;
  private final Cache<Long, User> cache;

  public UserDirectory(JdbcClient jdbc, Caffeine<Object, Object> caffeine) {
    this.jdbc = jdbc;
    this.cache = caffeine.maximumSize(1_000).build();
  }

  public Optional<User> find(long id) {
    User cached = cache.getIfPresent(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<User> user = jdbc.sql("SELECT id, name, workspace_id FROM users WHERE id = ?").param(id)
        .query((rs, n) -> new User(rs.getLong(1), rs.getString(2), rs.getString(3))).optional();
    user.ifPresent(u -> cache.put(id, u));
    return user;
  }

  public int countInWorkspace(String workspaceId) {
    return jdbc.sql("SELECT COUNT(*) FROM users WHERE workspace_id = ?").param(workspaceId).query(Integer.class)
        .single();
  }
}
