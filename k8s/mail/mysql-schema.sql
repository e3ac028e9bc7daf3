-- Berth mail-system database (MariaDB 10.11 / MySQL 8), read by Postfix and Dovecot,
-- written by the panel's provisioning engine (src/server/integrations/mail-sql).
--
-- Idempotent: every statement may be applied again on an existing database
-- (scripts/stack/mariadb.sh applies it on every `up`).
--
-- Conventions
--   * Names are stored as the panel normalises them: lower case, A-label (punycode),
--     no trailing dot. Postfix and Dovecot look them up verbatim.
--   * virtual_users.password holds a bare bcrypt hash as produced by bcrypt/bcryptjs
--     (`$2b$10$...`, `$2y$` also fine), WITHOUT a `{BLF-CRYPT}` prefix. Dovecot's passdb
--     sets `default_pass_scheme = BLF-CRYPT`, so the bare hash verifies (a value that does
--     carry a `{SCHEME}` prefix would verify too, but the panel never writes one).
--   * quota_bytes = 0 means "no quota".
--   * Rows of a domain go with it: every child table has ON DELETE CASCADE.

CREATE TABLE IF NOT EXISTS virtual_domains (
  id          INT UNSIGNED     NOT NULL AUTO_INCREMENT,
  name        VARCHAR(253)     NOT NULL,
  customer_id VARCHAR(64)      NOT NULL,
  created_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_virtual_domains_name (name),
  KEY ix_virtual_domains_customer (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS virtual_users (
  id          INT UNSIGNED     NOT NULL AUTO_INCREMENT,
  domain_id   INT UNSIGNED     NOT NULL,
  email       VARCHAR(254)     NOT NULL,
  password    VARCHAR(255)     NOT NULL,
  quota_bytes BIGINT UNSIGNED  NOT NULL DEFAULT 0,
  active      TINYINT(1)       NOT NULL DEFAULT 1,
  maildir     VARCHAR(512)     NOT NULL,
  created_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_virtual_users_email (email),
  KEY ix_virtual_users_domain (domain_id),
  CONSTRAINT fk_virtual_users_domain FOREIGN KEY (domain_id)
    REFERENCES virtual_domains (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS virtual_aliases (
  id          INT UNSIGNED     NOT NULL AUTO_INCREMENT,
  domain_id   INT UNSIGNED     NOT NULL,
  source      VARCHAR(254)     NOT NULL,
  destination VARCHAR(254)     NOT NULL,
  created_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_virtual_aliases_source_destination (source, destination),
  KEY ix_virtual_aliases_domain (domain_id),
  CONSTRAINT fk_virtual_aliases_domain FOREIGN KEY (domain_id)
    REFERENCES virtual_domains (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS dkim_selectors (
  id          INT UNSIGNED     NOT NULL AUTO_INCREMENT,
  domain_id   INT UNSIGNED     NOT NULL,
  selector    VARCHAR(63)      NOT NULL,
  secret_name VARCHAR(253)     NOT NULL,
  created_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_dkim_selectors_domain_selector (domain_id, selector),
  CONSTRAINT fk_dkim_selectors_domain FOREIGN KEY (domain_id)
    REFERENCES virtual_domains (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Issue 18: the running mail system reads these too.
-- A suspended domain's mail is deferred (Postfix answers 4xx through
-- mysql-recipient-access.cf) instead of refused. MariaDB syntax (IF NOT EXISTS).
ALTER TABLE virtual_domains ADD COLUMN IF NOT EXISTS suspended TINYINT(1) NOT NULL DEFAULT 0 AFTER customer_id;

-- Sieve scripts per mailbox, read by Dovecot's Pigeonhole through an SQL dict
-- (k8s/mail/dovecot/dovecot-dict-sieve.conf.ext): name -> data_id, data_id -> script.
-- data_id is the SHA-256 of the script, so a changed script gets a new id and Dovecot
-- recompiles it. Goes with the mailbox.
CREATE TABLE IF NOT EXISTS sieve_scripts (
  id          INT UNSIGNED     NOT NULL AUTO_INCREMENT,
  user_id     INT UNSIGNED     NOT NULL,
  email       VARCHAR(254)     NOT NULL,
  name        VARCHAR(64)      NOT NULL,
  data_id     CHAR(64)         NOT NULL,
  script      MEDIUMTEXT       NOT NULL,
  created_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sieve_scripts_email_name (email, name),
  KEY ix_sieve_scripts_data (email, data_id),
  CONSTRAINT fk_sieve_scripts_user FOREIGN KEY (user_id)
    REFERENCES virtual_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When a domain row goes, the mail system keeps its maildirs for a retention period
-- (scripts/stack/mail-agent.ts removes them after it). The trigger records when; adding
-- the domain again cancels the removal.
CREATE TABLE IF NOT EXISTS domain_tombstones (
  name        VARCHAR(253)     NOT NULL,
  deleted_at  TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS trg_virtual_domains_tombstone AFTER DELETE ON virtual_domains
  FOR EACH ROW INSERT INTO domain_tombstones (name, deleted_at) VALUES (OLD.name, CURRENT_TIMESTAMP)
  ON DUPLICATE KEY UPDATE deleted_at = CURRENT_TIMESTAMP;

CREATE TRIGGER IF NOT EXISTS trg_virtual_domains_revive AFTER INSERT ON virtual_domains
  FOR EACH ROW DELETE FROM domain_tombstones WHERE name = NEW.name;
