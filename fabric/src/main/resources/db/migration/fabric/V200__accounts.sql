-- Accounts of operators and tenant users. Only a password hash is ever stored.
CREATE TABLE fabric_account (
    id            UUID         NOT NULL PRIMARY KEY,
    username      VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role          VARCHAR(32)  NOT NULL,
    tenant_id     UUID,
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_account_username_uk UNIQUE (username),
    CONSTRAINT fabric_account_role_ck CHECK (role IN ('OPERATOR', 'TENANT_ADMIN', 'TENANT_MEMBER'))
);

-- Exactly one first operator even when two replicas start together on an empty database.
CREATE TABLE fabric_bootstrap (
    name       VARCHAR(64) NOT NULL PRIMARY KEY,
    done_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
