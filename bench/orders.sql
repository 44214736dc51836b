-- The benchmark's source table: a deterministic generator of N orders (~220 bytes each).
-- Usage: mariadb ... < orders.sql with @rows set first (see bench/run.sh).
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (
  id BIGINT NOT NULL PRIMARY KEY,
  customer_id INT NOT NULL,
  status VARCHAR(20) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  note VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  attributes JSON NULL,
  KEY idx_orders_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO orders
SELECT seq,
       1 + (seq * 7919) MOD 50000,
       ELT(1 + seq MOD 4, 'new', 'paid', 'shipped', 'cancelled'),
       ROUND(((seq * 104729) MOD 1000000) / 100, 2),
       CONCAT('Bestellung Nr. ', seq, ' für Kundin ', (seq * 7919) MOD 50000, ' – größe ', seq MOD 7, ' ✓ ',
              REPEAT('x', seq MOD 60)),
       TIMESTAMPADD(SECOND, seq, '2023-01-01 00:00:00.000'),
       TIMESTAMPADD(MICROSECOND, seq * 1000, '2024-01-01 00:00:00.000'),
       JSON_OBJECT('sku', CONCAT('SKU-', seq MOD 1000), 'qty', seq MOD 9, 'gift', seq MOD 2 = 0)
-- Up to 10^9 rows, numbered 1..@rows: millions times a million (seq_1_to_1000000 alone stopped
-- every table at 1M rows, whatever ROWS said).
FROM (SELECT (millions.seq - 1) * 1000000 + ones.seq AS seq
      FROM seq_1_to_1000 AS millions JOIN seq_1_to_1000000 AS ones
      WHERE millions.seq <= CEIL(@rows / 1000000)) AS numbered
WHERE seq <= @rows;
