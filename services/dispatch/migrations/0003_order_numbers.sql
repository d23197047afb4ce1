-- The readable order number, made in one place: <prefix><counter>, the
-- prefix "PD-YYYYMMDD-" (the day in the numbering zone) and the counter the
-- next value of order_numbers, zero-padded to at least six digits and never
-- cut: from the millionth order on it has seven digits, and so on.
--
-- The counter never restarts, so a number is unique by its counter alone,
-- whatever the day (order_numbers is a bigint sequence: 9.2e18 orders). The
-- 0002 statement padded with lpad(..., 6, '0'), which also CUTS to six
-- characters: from order 1,000,000 on, ten orders in a row shared a number.
-- Numbers issued before this migration keep their six digits and never
-- clash with the wider ones.
CREATE FUNCTION next_order_number(prefix text) RETURNS text
LANGUAGE sql VOLATILE
AS $$
  SELECT prefix || lpad(n::text, greatest(6, length(n::text)), '0')
  FROM (SELECT nextval('dispatch.order_numbers') AS n) AS next
$$;
