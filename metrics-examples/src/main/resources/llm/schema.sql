-- Chat sessions of the LLM orchestrator. Portable SQL: runs on H2 (the embedded default) and PostgreSQL.
CREATE TABLE IF NOT EXISTS chat_sessions (
  id VARCHAR(36) PRIMARY KEY,
  session_type VARCHAR(32) NOT NULL,
  system_instruction VARCHAR(20000),
  created_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP,
  turns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chat_messages (
  session_id VARCHAR(36) NOT NULL REFERENCES chat_sessions (id),
  seq INTEGER NOT NULL,
  role VARCHAR(8) NOT NULL,
  text VARCHAR(200000) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (session_id, seq)
);
