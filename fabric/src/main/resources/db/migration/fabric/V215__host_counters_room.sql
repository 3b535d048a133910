-- Agents report per-port counters: 4000 characters held about 25 ports. 1,000,000 is H2's
-- longest VARCHAR and holds thousands; the syntax is shared by H2 and PostgreSQL.
ALTER TABLE fabric_table_host ALTER COLUMN counters SET DATA TYPE VARCHAR(1000000);
