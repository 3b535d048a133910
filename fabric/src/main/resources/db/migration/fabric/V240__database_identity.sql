-- Which database this is, as PostgreSQL names it (cluster system identifier and database OID). A
-- database restored from a dump (or copied) gets a new name while its rows say the old one: that is
-- how the fabric notices a restore and moves every host's table generation past anything an agent
-- may hold (see RestoredDatabaseGuard). NULL: not known yet, treated like a restore.
CREATE TABLE fabric_database_identity (
    name  VARCHAR(64) PRIMARY KEY,
    value VARCHAR(200)
);
INSERT INTO fabric_database_identity (name, value) VALUES ('postgres-database', NULL);
