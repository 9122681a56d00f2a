package io.pyairtable.metrics.examples.llm;

import io.pyairtable.metrics.integrations.jdbc.QueryTimer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Chat sessions and their messages in a SQL database (H2 embedded by default, PostgreSQL or any
 * JDBC database by configuration). Every statement is timed into
 * {@code database_query_duration_seconds{query_type}} with a fixed query type.
 *
 * <pre>{@code
 * ChatSessionStore store = new ChatSessionStore(hikariDataSource, new QueryTimer(metrics));
 * store.migrate();
 * ChatSessionStore.Session s = store.create("chat", null);
 * store.appendTurn(s.id(), "Hello", "Hi! How can I help?");
 * }</pre>
 */
public final class ChatSessionStore {

  /** One chat session; {@code endedAt} is null while it is open. */
  public record Session(String id, String sessionType, String systemInstruction, Instant createdAt,
      Instant endedAt, int turns) {
    public boolean open() {
      return endedAt == null;
    }
  }

  /** One stored message: role {@code user} or {@code model}. */
  public record Message(int seq, String role, String text, Instant createdAt) {}

  private final DataSource dataSource;
  private final QueryTimer queries;

  public ChatSessionStore(DataSource dataSource, QueryTimer queries) {
    this.dataSource = dataSource;
    this.queries = queries;
  }

  /** Creates the tables if they do not exist ({@code llm/schema.sql}). */
  public void migrate() throws SQLException {
    String script;
    try (InputStream in = ChatSessionStore.class.getClassLoader().getResourceAsStream("llm/schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("resource llm/schema.sql is missing");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String statement : script.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          queries.time("migrate", () -> s.execute(statement));
        }
      }
    }
  }

  public Session create(String sessionType, String systemInstruction) throws SQLException {
    Session session = new Session(UUID.randomUUID().toString(), sessionType, systemInstruction, now(), null, 0);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO chat_sessions (id, session_type, system_instruction, created_at, turns) VALUES (?, ?, ?, ?, 0)")) {
      ps.setString(1, session.id());
      ps.setString(2, sessionType);
      ps.setString(3, systemInstruction);
      ps.setTimestamp(4, Timestamp.from(session.createdAt()));
      queries.time("insert_session", ps::executeUpdate);
    }
    return session;
  }

  public Optional<Session> find(String id) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, session_type, system_instruction, created_at, ended_at, turns FROM chat_sessions WHERE id = ?")) {
      ps.setString(1, id);
      return queries.time("select_session", () -> {
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(session(rs)) : Optional.<Session>empty();
        }
      });
    }
  }

  public List<Message> messages(String sessionId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT seq, role, text, created_at FROM chat_messages WHERE session_id = ? ORDER BY seq")) {
      ps.setString(1, sessionId);
      return queries.time("select_messages", () -> {
        List<Message> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Message(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
          }
        }
        return out;
      });
    }
  }

  /** Stores a user message and the model's answer and counts the turn, in one transaction. */
  public void appendTurn(String sessionId, String userText, String modelText) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int next;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT COALESCE(MAX(seq), 0) FROM chat_messages WHERE session_id = ?")) {
          ps.setString(1, sessionId);
          next = queries.time("select_last_seq", () -> {
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          });
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO chat_messages (session_id, seq, role, text, created_at) VALUES (?, ?, ?, ?, ?)")) {
          insertMessage(ps, sessionId, next + 1, "user", userText);
          insertMessage(ps, sessionId, next + 2, "model", modelText);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE chat_sessions SET turns = turns + 1 WHERE id = ?")) {
          ps.setString(1, sessionId);
          queries.time("update_session", ps::executeUpdate);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void insertMessage(PreparedStatement ps, String sessionId, int seq, String role, String text)
      throws SQLException {
    ps.setString(1, sessionId);
    ps.setInt(2, seq);
    ps.setString(3, role);
    ps.setString(4, text);
    ps.setTimestamp(5, Timestamp.from(now()));
    queries.time("insert_message", ps::executeUpdate);
  }

  /** Ends an open session; empty when it does not exist or was already ended. */
  public Optional<Session> end(String id) throws SQLException {
    Instant endedAt = now();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE chat_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(endedAt));
      ps.setString(2, id);
      int updated = queries.time("end_session", ps::executeUpdate);
      if (updated == 0) {
        return Optional.empty();
      }
    }
    return find(id);
  }

  /** Sessions not ended yet. */
  public int countOpen() throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COUNT(*) FROM chat_sessions WHERE ended_at IS NULL")) {
      return queries.time("count_open_sessions", () -> {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      });
    }
  }

  private static Session session(ResultSet rs) throws SQLException {
    Timestamp ended = rs.getTimestamp(5);
    return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
        ended == null ? null : ended.toInstant(), rs.getInt(6));
  }

  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }
}
