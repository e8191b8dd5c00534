-- Run by the PostgreSQL image at its first start (compose.yaml): the quickstart's table and two rows.
CREATE TABLE customers (id INT PRIMARY KEY, name TEXT, email TEXT);
-- the full old row in update and delete events
ALTER TABLE customers REPLICA IDENTITY FULL;
INSERT INTO customers VALUES (1, 'alice', 'alice@example.com'), (2, 'bob', 'bob@example.com');
