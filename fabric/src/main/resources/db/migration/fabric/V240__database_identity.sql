-- Which database this is, as PostgreSQL names it (cluster system identifier and database OID). A
-- database restored from a dump (or copied) gets a new name while its rows say the old one: that is
-- how the fabric notices a restore and moves every host's table generation past anything an agent
-- may hold (see RestoredDatabaseGuard). NULL: not known yet, treated like a restore.
-- (Column names avoid NAME and VALUE, which H2 reserves.)
CREATE TABLE fabric_database_identity (
    item        VARCHAR(64) PRIMARY KEY,
    recorded_as VARCHAR(200)
);
INSERT INTO fabric_database_identity (item, recorded_as) VALUES ('postgres-database', NULL);
