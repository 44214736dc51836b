-- Demo data for the README's main command: loaded into the sandbox's source database.
-- orders: incremental (updated_at) with a composite key; products: full refresh, non-ASCII text and decimals.
SET SESSION max_recursive_iterations = 100000;
DROP TABLE IF EXISTS order_lines, products, customers;

CREATE TABLE customers (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  city VARCHAR(60) NULL,
  balance DECIMAL(14,2) NOT NULL DEFAULT 0,
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY idx_customers_updated (updated_at)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE order_lines (
  order_id BIGINT UNSIGNED NOT NULL,
  line_no SMALLINT UNSIGNED NOT NULL,
  product_sku VARCHAR(20) NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(12,4) NOT NULL,
  note TEXT NULL,
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (order_id, line_no),
  KEY idx_order_lines_updated (updated_at)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE products (
  sku VARCHAR(20) NOT NULL PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  price DECIMAL(12,4) NOT NULL,
  weight_kg DOUBLE NULL,
  picture BLOB NULL
) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO products VALUES
  ('SKU-001', 'Kaffeemühle „Größe L“', 49.9900, 1.25, 0x89504E470D0A1A0A00),
  ('SKU-002', 'Crème brûlée torch 🔥', 19.5000, 0.4, NULL),
  ('SKU-003', '日本茶 (sencha), 100 g', 12.3456, 0.1, NULL),
  ('SKU-004', 'Smørrebrød board', 0.0001, NULL, 0x00);

INSERT INTO customers (id, name, city, balance, updated_at) VALUES
  (1, 'Zoë Åkesson', 'Malmö', 1234.56, '2024-01-02 10:00:00.000001'),
  (2, 'José Núñez', 'Málaga', -20.00, '2024-01-02 10:00:00.000001'),
  (3, 'Ōtani Shōhei', '東京', 0.00, '2024-01-03 08:30:00.500000');

-- 2,000 order lines from a small generator (recursive CTE), many sharing one updated_at.
INSERT INTO order_lines (order_id, line_no, product_sku, quantity, unit_price, note, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
SELECT 1000 + (i DIV 4), i MOD 4, CONCAT('SKU-00', 1 + i MOD 4), 1 + i MOD 7,
       ROUND(1 + (i * 7919 MOD 10000) / 100, 4),
       IF(i MOD 10 = 0, CONCAT('Geschenk für Kunde ', i, ' ✓'), NULL),
       TIMESTAMPADD(SECOND, i DIV 100, '2024-02-01 00:00:00.000000')
FROM n;
